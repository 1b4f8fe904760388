/**
 * Crafted documents that make a stage's own code run away (super-linear regex backtracking
 * on a long run of white space), for the time-budget tests. Each is valid input of a normal
 * size: only the time it takes is pathological, so nothing but a budget stops it.
 */

const BODY = [
  'The harbour authority said on Tuesday that cargo volumes rose for a third quarter in a row, driven by demand for machinery.',
  'Officials expect the new rail link to carry more freight inland by the end of the decade, easing congestion at the docks.',
  'Shipping lines have added routes to the port since dredging work allowed larger vessels to berth at the eastern terminal.',
].join('\n\n');

/**
 * A JSON line whose author field is two names around `spaces` blanks: intake splits author
 * lists with a regex that backtracks quadratically over white space (src/intake/json-record.ts,
 * `names`): 40,000 blanks take about a second, 1,000,000 about ten minutes, all in one step.
 */
export function runawayAuthorLine(spaces: number, tag = 'runaway'): string {
  return JSON.stringify({ title: `Cargo volumes rise again (${tag})`, url: `https://news.example/${tag}`, author: `Ann Lee${' '.repeat(spaces)}Bo Chan`, content: BODY });
}

/**
 * A text article whose first line is a Markdown heading followed by `spaces` blanks: clean's
 * heading rule (src/clean/text/lines.ts) backtracks quadratically over them: 20,000 blanks
 * take about 0.2 s, 400,000 over a minute. It reaches clean intact (intake keeps white space).
 */
export function runawayHeadingText(spaces: number, tag = 'runaway'): string {
  return `# Harbour report (${tag})${' '.repeat(spaces)}x\n\n${BODY}\n`;
}
