import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';

const SERVER_LOG = fileURLToPath(new URL('./server.log', import.meta.url));
/** Server log lines printed with a failure: the ones written while the test ran, at most. */
const LOG_LINES = 60;

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The page's accessibility snapshot from Playwright's error context (the YAML block in it). */
function pageSnapshot(context: string | null): string | null {
  const match = context ? /```yaml\n([\s\S]*?)```/.exec(context) : null;
  return match?.[1]?.trimEnd() ?? null;
}

/**
 * Prints what a failed journey leaves only in files, so that a run whose folder is gone (a CI
 * checkout) still shows why: the page as the browser saw it when the check failed (its
 * accessibility snapshot: notifications, dialogs, errors on the page), and the server's log
 * lines written while the test ran (the server logs no request bodies or secrets).
 */
export default class FailureReport implements Reporter {
  private logOffset = 0;

  onTestBegin(): void {
    this.logOffset = readText(SERVER_LOG)?.length ?? 0;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'passed' || result.status === 'skipped') return;
    const out: string[] = [`\n---- ${test.title}: what the page and the server showed ----`];
    for (const attachment of result.attachments) {
      if (attachment.name !== 'error-context' || !attachment.path) continue;
      const snapshot = pageSnapshot(readText(attachment.path));
      if (snapshot) out.push('The page when the check failed:', snapshot);
    }
    const log = readText(SERVER_LOG)?.slice(this.logOffset).trim();
    if (log) {
      const lines = log.split('\n');
      out.push(
        `The server's log while the test ran (last ${Math.min(lines.length, LOG_LINES)} of ${lines.length} lines):`,
        ...lines.slice(-LOG_LINES),
      );
    }
    console.log(out.join('\n'));
  }
}
