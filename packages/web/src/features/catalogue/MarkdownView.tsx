import { Typography } from '@mantine/core';

interface MarkdownViewProps {
  /**
   * HTML the server rendered from Markdown and sanitized (no script, no event handler, no
   * `javascript:` link). Never pass Markdown or HTML that did not come from the server's
   * sanitizer.
   */
  html: string;
  label?: string;
}

/** A guide or overview, as the server rendered it, with the theme's typography. */
export function MarkdownView({ html, label }: MarkdownViewProps) {
  return (
    <Typography className="portico-markdown" aria-label={label}>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
