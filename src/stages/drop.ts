/** A record or article a stage chose not to pass on, with the reason it is counted under. */
export interface Dropped {
  stage: 'intake' | 'clean' | 'split' | 'dedupe' | 'classify' | 'store';
  /** Counted as `dropped_<reason>`; snake_case. */
  reason: string;
  /** The record index or article key inside the file. */
  key: string;
  detail?: string;
  /** What was dropped, truncated, so a person can see it. */
  excerpt?: string;
}

export function excerpt(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
