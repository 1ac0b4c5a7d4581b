import { Avatar, Box, Group, Paper, Stack, Text } from '@mantine/core';
import { formatDateTime, formatRelative } from '../common/format';

interface Message {
  id: string;
  body: string;
  fromStaff: boolean;
  createdAt: string;
  author: { id: string; name: string } | null;
}

interface ApplicationThreadProps {
  messages: readonly Message[];
  /** Whose side is "mine": the applicant's page puts their answers on the right. */
  viewerSide: 'applicant' | 'staff';
  applicantName?: string;
}

/** The question-and-answer thread of a developer application, oldest first. */
export function ApplicationThread({ messages, viewerSide, applicantName }: ApplicationThreadProps) {
  if (messages.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No questions so far.
      </Text>
    );
  }
  return (
    <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Thread">
      {messages.map((message) => {
        const mine = (viewerSide === 'staff') === message.fromStaff;
        const who = message.fromStaff
          ? (message.author?.name ?? 'Portal staff')
          : (message.author?.name ?? applicantName ?? 'Applicant');
        return (
          <Box component="li" key={message.id}>
            <Group
              gap="sm"
              align="flex-start"
              wrap="nowrap"
              style={{ flexDirection: mine ? 'row-reverse' : 'row' }}
            >
              <Avatar radius="xl" size={32} color={message.fromStaff ? 'indigo' : 'teal'}>
                {who.charAt(0).toUpperCase()}
              </Avatar>
              <Paper
                withBorder
                p="sm"
                maw="80%"
                bg={mine ? 'var(--mantine-color-indigo-light)' : undefined}
              >
                <Group gap="xs" mb={4} justify="space-between">
                  <Text size="xs" fw={600}>
                    {who}
                    {message.fromStaff ? ' · question' : ' · answer'}
                  </Text>
                  <Text size="xs" c="dimmed" title={formatDateTime(message.createdAt)}>
                    {formatRelative(message.createdAt)}
                  </Text>
                </Group>
                <Text size="sm" className="portico-thread-bubble">
                  {message.body}
                </Text>
              </Paper>
            </Group>
          </Box>
        );
      })}
    </Stack>
  );
}
