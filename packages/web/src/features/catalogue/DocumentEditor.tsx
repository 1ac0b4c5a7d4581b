import {
  Button,
  FileButton,
  Group,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy, IconSend, IconUpload } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { ServerForm } from '../forms/ServerForm';
import { useServerErrors } from '../forms/useServerErrors';

export interface DocumentDraft {
  title: string;
  source: string;
  note: string;
}

interface DocumentEditorProps {
  /** Markdown (guides, overview) or an OpenAPI description (YAML or JSON). */
  mode: 'markdown' | 'openapi';
  initial: DocumentDraft;
  /** Saves a new version; throws the server's error, which lands next to its field. */
  onSave: (draft: DocumentDraft, publish: boolean) => Promise<void>;
  /** The preview of the source as the server renders it (Markdown only). */
  renderPreview?: (source: string) => ReactNode;
  /** What sits below the buttons (the last saved version, say). */
  footer?: ReactNode;
}

/**
 * Edits a document: title, source (typed, pasted or, for OpenAPI, read from a file), a note on
 * what changed, then "Save draft" or "Save and publish". A validation error from the server
 * (an OpenAPI problem names its line) is shown under the field it is about.
 */
export function DocumentEditor({
  mode,
  initial,
  onSave,
  renderPreview,
  footer,
}: DocumentEditorProps) {
  const form = useForm<DocumentDraft>({ mode: 'controlled', initialValues: initial });
  const server = useServerErrors(form);
  const [view, setView] = useState<'write' | 'preview'>('write');
  const [busy, setBusy] = useState<'draft' | 'publish' | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const save = async (publish: boolean) => {
    server.clear();
    setBusy(publish ? 'publish' : 'draft');
    try {
      await onSave(form.getValues(), publish);
      form.setFieldValue('note', '');
      form.resetDirty();
    } catch (error) {
      server.apply(error);
    } finally {
      setBusy(null);
    }
  };

  const readFile = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    form.setFieldValue('source', await file.text());
  };

  return (
    <ServerForm onSubmit={form.onSubmit(() => void save(false))} error={server.formError} gap="sm">
      <TextInput label="Title" required maxLength={200} {...form.getInputProps('title')} />
      {mode === 'markdown' && renderPreview ? (
        <SegmentedControl
          value={view}
          onChange={(value) => setView(value === 'preview' ? 'preview' : 'write')}
          data={[
            { value: 'write', label: 'Write' },
            { value: 'preview', label: 'Preview' },
          ]}
          w={220}
          size="xs"
        />
      ) : null}
      {view === 'preview' && renderPreview ? (
        <Stack
          gap={0}
          p="md"
          mih={240}
          style={{
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 'var(--mantine-radius-md)',
          }}
          aria-label="Preview"
        >
          {renderPreview(form.getValues().source)}
        </Stack>
      ) : (
        <Textarea
          label={mode === 'openapi' ? 'OpenAPI description (YAML or JSON)' : 'Markdown'}
          description={
            mode === 'openapi'
              ? 'Paste it or upload a file. Only local references (#/…) are allowed; the first server URL is where the try-it console sends requests.'
              : 'GitHub-flavoured Markdown. Scripts, inline handlers and styles are removed when it is shown.'
          }
          required
          autosize
          minRows={14}
          maxRows={32}
          spellCheck={mode === 'markdown'}
          classNames={{ input: 'portico-mono' }}
          {...form.getInputProps('source')}
        />
      )}
      {mode === 'openapi' ? (
        <Group gap="xs">
          <FileButton
            onChange={(file) => void readFile(file)}
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
          >
            {(props) => (
              <Button {...props} variant="default" size="xs" leftSection={<IconUpload size={14} />}>
                Upload a file
              </Button>
            )}
          </FileButton>
          {fileName ? (
            <Text size="xs" c="dimmed">
              Read {fileName}
            </Text>
          ) : null}
        </Group>
      ) : null}
      <TextInput
        label="What changed"
        description="Shown in the history beside your name."
        maxLength={500}
        {...form.getInputProps('note')}
      />
      <Group justify="flex-end" gap="sm">
        <Button
          type="submit"
          variant="default"
          leftSection={<IconDeviceFloppy size={16} />}
          loading={busy === 'draft'}
          disabled={busy !== null}
        >
          Save draft
        </Button>
        <Button
          leftSection={<IconSend size={16} />}
          loading={busy === 'publish'}
          disabled={busy !== null}
          onClick={() => void save(true)}
        >
          Save and publish
        </Button>
      </Group>
      {footer}
    </ServerForm>
  );
}
