import { useState } from 'react';

export interface ModalTarget<T> {
  /** What the modal is about; kept after closing, so the modal does not change while it fades out. */
  target: T | null;
  opened: boolean;
  open: (target: T) => void;
  close: () => void;
}

/** The subject of a modal (a credential to rotate or revoke) and whether the modal is open. */
export function useModalTarget<T>(): ModalTarget<T> {
  const [state, setState] = useState<{ target: T | null; opened: boolean }>({
    target: null,
    opened: false,
  });
  return {
    target: state.target,
    opened: state.opened,
    open: (target) => setState({ target, opened: true }),
    close: () => setState((current) => ({ ...current, opened: false })),
  };
}
