export { LINT_RULES, type LintKind, type LintRule, type LintWarning, type StatementRule } from './rules';
export { lintCollector, lintDatabases, lintDiff, type LintOptions } from './lint-changes';
export { scanScript, type ScriptFinding, type TextPosition } from './scan-script';
