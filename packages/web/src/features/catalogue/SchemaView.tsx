import { Badge, Code, Stack, Table, Text } from '@mantine/core';
import { prettyExample, schemaRows } from './schemaRows';

interface SchemaViewProps {
  schema: Record<string, unknown> | null;
  example: string | null;
  label: string;
}

/** The fields of a request or response body, then its example. */
export function SchemaView({ schema, example, label }: SchemaViewProps) {
  const rows = schemaRows(schema);
  const shown = prettyExample(example);
  return (
    <Stack gap="xs">
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table fz="sm" verticalSpacing={6} aria-label={`${label} fields`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.path}>
                  <Table.Td style={{ paddingLeft: 12 + row.depth * 16 }}>
                    <Text span className="portico-mono">
                      {row.path.split('.').pop()}
                    </Text>
                    {row.required ? (
                      <Badge size="xs" variant="light" color="red" ml={6}>
                        required
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text span className="portico-mono" c="dimmed">
                      {row.type}
                    </Text>
                  </Table.Td>
                  <Table.Td>{row.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : schema ? (
        <Text size="sm" c="dimmed">
          Type: <Code>{typeof schema.type === 'string' ? schema.type : 'any'}</Code>
        </Text>
      ) : null}
      {shown ? (
        <div>
          <Text size="xs" fw={600} c="dimmed" mb={4}>
            Example
          </Text>
          <Code block className="portico-code" aria-label={`${label} example`}>
            {shown}
          </Code>
        </div>
      ) : null}
    </Stack>
  );
}
