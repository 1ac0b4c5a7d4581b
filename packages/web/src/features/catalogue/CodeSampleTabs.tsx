import { Box, Button, Code, CopyButton, Group, Tabs, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';

export interface CodeSample {
  /** Stable key: `curl`, `javascript`, `python` … */
  language: string;
  label: string;
  code: string;
}

/** Code samples in tabs, each with a copy button. The key in them is a placeholder. */
export function CodeSampleTabs({ samples }: { samples: readonly CodeSample[] }) {
  const [tab, setTab] = useState<string | null>(samples[0]?.language ?? null);
  if (samples.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No code samples for this endpoint.
      </Text>
    );
  }
  return (
    <Tabs value={tab} onChange={setTab} variant="outline" keepMounted={false}>
      <Tabs.List>
        {samples.map((sample) => (
          <Tabs.Tab key={sample.language} value={sample.language}>
            {sample.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {samples.map((sample) => (
        <Tabs.Panel key={sample.language} value={sample.language} pt="xs">
          <Box pos="relative">
            <Group pos="absolute" top={6} right={6} style={{ zIndex: 1 }}>
              <CopyButton value={sample.code} timeout={1500}>
                {({ copied, copy }) => (
                  <Button
                    size="compact-xs"
                    variant={copied ? 'light' : 'default'}
                    color={copied ? 'teal' : undefined}
                    leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
                    onClick={copy}
                    aria-label={`Copy ${sample.label} sample`}
                  >
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Code block className="portico-code" aria-label={`${sample.label} sample`}>
              {sample.code}
            </Code>
          </Box>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
