import { useQuery } from '@apollo/client/react';
import { Badge, Card, Group, Loader, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { SearchCatalogueQuery } from './catalogue.operations';
import { MethodBadge } from './MethodBadge';

/** Full-text search over the published guides and endpoints the reader may see. */
export function DocsSearch({
  productId,
  placeholder = 'Search guides and endpoints',
}: {
  productId?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 250);
  const { data, loading, error } = useQuery(SearchCatalogueQuery, {
    variables: { query, productId: productId ?? null },
    skip: query.length < 2,
  });
  const hits = query.length >= 2 ? (data?.searchCatalogue ?? []) : [];

  return (
    <Stack gap="xs" role="search">
      <TextInput
        aria-label="Search the documentation"
        placeholder={placeholder}
        leftSection={<IconSearch size={16} />}
        rightSection={loading ? <Loader size="xs" /> : null}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        maw={560}
      />
      {query.length >= 2 && !loading ? (
        <Card padding="xs" withBorder maw={720} aria-label="Search results">
          {error ? (
            <Text size="sm" c="red" p="xs">
              Search failed. Try again.
            </Text>
          ) : hits.length === 0 ? (
            <Text size="sm" c="dimmed" p="xs">
              Nothing matches “{query}”.
            </Text>
          ) : (
            <Stack gap={2}>
              {hits.map((hit) => {
                const to =
                  hit.kind === 'ENDPOINT' && hit.endpoint
                    ? `/docs/${hit.product.slug}/endpoints/${hit.endpoint.id}`
                    : hit.document
                      ? `/docs/${hit.product.slug}/guides/${hit.document.slug}`
                      : `/docs/${hit.product.slug}`;
                return (
                  <UnstyledButton
                    key={`${hit.kind}-${hit.endpoint?.id ?? hit.document?.id ?? hit.title}`}
                    component={Link}
                    to={to}
                    p="xs"
                    className="portico-search-hit"
                  >
                    <Group gap="xs" wrap="nowrap">
                      {hit.endpoint ? (
                        <MethodBadge method={hit.endpoint.method} size="sm" />
                      ) : (
                        <Badge size="sm" variant="default" miw={64}>
                          Guide
                        </Badge>
                      )}
                      <Text
                        size="sm"
                        fw={600}
                        truncate
                        className={hit.endpoint ? 'portico-mono' : undefined}
                      >
                        {hit.endpoint ? hit.endpoint.path : hit.title}
                      </Text>
                      {productId ? null : (
                        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                          {hit.product.name}
                        </Text>
                      )}
                    </Group>
                    {hit.snippet ? (
                      <Text size="xs" c="dimmed" lineClamp={2} mt={2}>
                        {hit.snippet}
                      </Text>
                    ) : null}
                  </UnstyledButton>
                );
              })}
            </Stack>
          )}
        </Card>
      ) : null}
    </Stack>
  );
}
