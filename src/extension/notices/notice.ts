/** What b2m tells or asks a person: a message and the buttons that act on it. */
export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** A modal dialog that waits for an answer (a question), rather than a notification. */
  modal?: boolean;
  /** Shown under the message of a modal dialog. */
  detail?: string;
  actions: NoticeAction[];
}

/** A button: the command a click runs, with its arguments (none for the answers of a question). */
export interface NoticeAction {
  label: string;
  command?: string;
  args?: unknown[];
}

export const SHOW_LOG: NoticeAction = { label: 'Show Log', command: 'b2m.showLog' };
