// Scalar's styles are scoped to its own root (.scalar-app) and its CSS layers.
import '@scalar/api-reference-react/style.css';
import { ApiReferenceReact } from '@scalar/api-reference-react';
import { useComputedColorScheme } from '@mantine/core';
import { useMemo } from 'react';

/**
 * The OpenAPI reference drawn by Scalar. Heavy (Vue runtime, its own styles): import it only
 * through `LazyApiReference`, so it stays out of the first bundle.
 */
export function ApiReferenceView({ document }: { document: string }) {
  const scheme = useComputedColorScheme('light');
  const configuration = useMemo(
    () => ({
      content: document,
      darkMode: scheme === 'dark',
      forceDarkModeState: scheme,
      hideDarkModeToggle: true,
      // Requests go through the portal's own try-it console, which mints a sandbox token.
      hideClientButton: true,
      hideTestRequestButton: true,
      withDefaultFonts: false,
      telemetry: false,
      showDeveloperTools: 'never' as const,
      agent: { disabled: true },
      mcp: { disabled: true },
      documentDownloadType: 'both' as const,
    }),
    [document, scheme],
  );
  return (
    <div className="portico-api-reference">
      <ApiReferenceReact configuration={configuration} />
    </div>
  );
}
