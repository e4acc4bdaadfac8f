// What `nginx -t` prints, as messages: each log line (`nginx: [emerg] ...` on a terminal, or
// `2026/01/02 10:00:00 [emerg] 12#12: ...` with -e stderr) with its level, its text and the file and
// line it names ("... in /etc/nginx/conf.d/orchestrator.conf:12"). A message quotes what it complains
// about, which may hold line breaks: it runs to the next log line. nginx's own status lines ("syntax is
// ok", "test failed") are not messages.

import type { Severity } from '../engine/findings';

export type NginxLevel = 'emerg' | 'alert' | 'crit' | 'error' | 'warn' | 'notice' | 'info' | 'debug';

export interface NginxMessage {
  level: NginxLevel;
  /** The message without its location. */
  text: string;
  /** The file and (1-based) line nginx names, when it names one. */
  file?: string;
  line?: number;
}

const LOG_LINE = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )\[(emerg|alert|crit|error|warn|notice|info|debug)\] (?:\d+#\d+: )?/;
const ANY_LINE = /^(nginx: |\d{4}\/\d\d\/\d\d )/;

export function parseNginxOutput(output: string): NginxMessage[] {
  const lines = output.split('\n');
  const messages: NginxMessage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = LOG_LINE.exec(lines[i]!);
    if (!head) continue;
    let end = i + 1;
    while (end < lines.length && !ANY_LINE.test(lines[end]!)) end++;
    const whole = [lines[i]!.slice(head[0].length), ...lines.slice(i + 1, end)].join('\n').replace(/\n+$/, '');
    const located = /^([\s\S]*) in (\/[^\n]*):(\d+)$/.exec(whole);
    messages.push(located ? { level: head[1] as NginxLevel, text: located[1]!, file: located[2], line: Number(located[3]) } : { level: head[1] as NginxLevel, text: whole });
    i = end - 1;
  }
  return messages;
}

/** The first message that makes nginx -t fail ([emerg], [alert] or [crit]). */
export function firstFatal(messages: readonly NginxMessage[]): NginxMessage | undefined {
  return messages.find((m) => m.level === 'emerg' || m.level === 'alert' || m.level === 'crit');
}

export function severityOf(level: NginxLevel): Severity {
  if (level === 'emerg' || level === 'alert' || level === 'crit' || level === 'error') return 'error';
  return level === 'warn' ? 'warning' : 'information';
}
