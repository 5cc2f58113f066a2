/**
 * Tells a team chat about published versions and failed syncs. The body carries both Discord's
 * `content` and Slack's `text`, so one URL format works for either. Never throws and never waits
 * longer than `timeoutMs`: a chat being down must not hold up a sync.
 */
export async function notifyWebhook(
  url: string | undefined,
  message: string,
  options: { timeoutMs?: number; onWarning?: (message: string) => void } = {},
): Promise<void> {
  if (!url) return;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: message, text: message }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (!response.ok) options.onWarning?.(`The webhook answered ${response.status}; the team was not notified.`);
  } catch (e) {
    options.onWarning?.(`The webhook could not be reached (${(e as Error).message}); the team was not notified.`);
  }
}
