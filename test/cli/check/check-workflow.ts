import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLI, finished, type Developer, type RunResult, type Team } from '../../support/team';

/** The example GitHub Actions workflow, as GitHub reads it. */
export const WORKFLOW_FILE = join(import.meta.dirname, '..', '..', '..', 'examples', 'github', 'b2m-check.yml');

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}

export interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { if?: string; steps: WorkflowStep[] }>;
}

export function loadWorkflow(): Workflow {
  return parse(readFileSync(WORKFLOW_FILE, 'utf8')) as Workflow;
}

export function workflowSteps(): WorkflowStep[] {
  return Object.values(loadWorkflow().jobs).flatMap((job) => job.steps);
}

/** The step of the workflow that runs b2m check. */
export function checkStep(): WorkflowStep & { run: string } {
  const step = workflowSteps().find((s) => s.id === 'check');
  if (!step?.run) throw new Error(`${WORKFLOW_FILE} has no step with id "check" that runs a command.`);
  return step as WorkflowStep & { run: string };
}

/**
 * Runs the check step's command as GitHub does (bash -e, GITHUB_OUTPUT, the secrets as its env
 * says), in a developer's folder, with `npx --no-install b2m` being the CLI built from this
 * repository (b2m is not on the npm registry: without --no-install, npx would fetch whatever has that name).
 */
export async function runWorkflowCheck(team: Team, dev: Developer, secrets: Record<string, string> = {}): Promise<RunResult & { githubOutput: string }> {
  const step = checkStep();
  const bin = mkdtempSync(join(tmpdir(), 'b2m-workflow-'));
  try {
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = --no-install ] && [ "$2" = b2m ] || { echo "npx $*: not this test's (npx --no-install b2m only)" >&2; exit 127; }\nshift 2\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const githubOutput = join(bin, 'github-output');
    writeFileSync(githubOutput, '');
    const available: Record<string, string> = { B2_APPLICATION_KEY_ID: team.b2.keyId, B2_APPLICATION_KEY: team.b2.key, ...secrets };
    const stepEnv = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => {
        const secret = /^\$\{\{ secrets\.([A-Z0-9_]+) \}\}$/.exec(value)?.[1];
        if (!secret || available[secret] === undefined) throw new Error(`step env ${name}=${value} is not a secret this test knows`);
        return [name, available[secret]];
      }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, ...stepEnv, B2M_USER: dev.name, GITHUB_OUTPUT: githubOutput, PATH: `${bin}:${process.env.PATH ?? ''}` };
    delete env.B2M_ENDPOINT;
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: dev.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await finished(child, 120_000);
    return { ...result, githubOutput: readFileSync(githubOutput, 'utf8') };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

export interface IssueComment {
  id: number;
  user: { type: string };
  body: string;
}

export interface CommentCall {
  method: 'createComment' | 'updateComment';
  params: Record<string, unknown>;
}

/**
 * Runs the workflow's github-script step in `dir` against a stand-in for GitHub's REST client
 * that holds `comments` (GitHub itself cannot be reached from here), and returns the calls it made.
 */
export async function postComment(dir: string, comments: IssueComment[], issueNumber = 7): Promise<CommentCall[]> {
  const step = workflowSteps().find((s) => s.uses?.startsWith('actions/github-script@'));
  const script = step?.with?.script;
  if (typeof script !== 'string') throw new Error(`${WORKFLOW_FILE} has no github-script step with a script.`);
  const calls: CommentCall[] = [];
  const listComments = Symbol('listComments');
  const github = {
    paginate: async (method: symbol, params: { issue_number: number }) => {
      if (method !== listComments || params.issue_number !== issueNumber) throw new Error('unexpected paginate call');
      return comments;
    },
    rest: {
      issues: {
        listComments,
        createComment: async (params: Record<string, unknown>) => calls.push({ method: 'createComment', params }),
        updateComment: async (params: Record<string, unknown>) => calls.push({ method: 'updateComment', params }),
      },
    },
  };
  const context = { repo: { owner: 'team', repo: 'databases' }, issue: { number: issueNumber } };
  const fsInDir = { readFileSync: (path: string, encoding: BufferEncoding) => readFileSync(join(dir, path), encoding) };
  const requireInDir = (name: string) => {
    if (name !== 'fs') throw new Error(`the script requires ${name}`);
    return fsInDir;
  };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('github', 'context', 'require', script)(github, context, requireInDir);
  return calls;
}
