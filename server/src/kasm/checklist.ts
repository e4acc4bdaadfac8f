// Kasm's hardening guide as a checklist: each step of the guide (and the Cloudflare Tunnel settings of
// the networking guide), its state in the configurations linted (done, partly, not done), where it is
// still open, and the one fix that does it. A step's state and its fix come from the rules that check
// it: a step is open where one of its rules reports, and its fix applies those rules' fixes, pass after
// pass as --fix does. What no edit can do (create a file, replace a certificate, restart the proxy) is
// said in words.

import type { Range } from '../core/text';
import type { ProjectAnalysis } from '../engine/analyze';
import { SEVERITY_ORDER, type Finding, type Fix, type Severity } from '../engine/findings';
import { fixInMemory, preferredFix, textRunOf, type FixPicker } from '../engine/fix';
import { lintPaths, type LintOptions, type LintRun } from '../engine/lint';
import type { Settings } from '../engine/settings';
import type { TunnelAnalysis } from '../engine/tunnel';
import type { ConfigBlock, ConfigModel } from '../model/config';
import { effective } from '../model/effective';
import { allowOriginHeaders } from '../proxy/cors';
import { isKasmModel, locations, pageLocations } from '../proxy/locations';
import { NEWEST_VERSION } from '../nginx/directives';
import { looksLikeKasm, proxyTarget } from '../proxy/upstreams';
import { RULES } from '../rules/registry';
import { tlsServers } from '../tls/servers';
import { OverlayHost } from '../workspace/overlay';

export type StepState = 'done' | 'partly' | 'not-done' | 'not-applicable' | 'unknown';

/** A place a step applies to: a location, a TLS server, a tunnel config. */
export interface Place {
  file: string;
  range: Range;
}

/** What the steps look at: the Kasm trees, the NGINX in front of Kasm, the cloudflared configs. */
export interface ChecklistInput {
  kasm: ProjectAnalysis[];
  front: ProjectAnalysis[];
  tunnels: TunnelAnalysis[];
  /** The settings of the first Kasm tree (the deployment decides whether a tunnel is expected). */
  settings?: Settings;
}

export interface StepDefinition {
  id: string;
  title: string;
  /** What the guide says to do, in one sentence. */
  guide: string;
  /** The configurations the step is about: Kasm's proxy, an NGINX in front of it, the tunnel. */
  looksAt: 'kasm' | 'front' | 'tunnels';
  /** The rules that report where the step is not followed. */
  rules: readonly string[];
  /** Findings under this severity do not count (what the guide itself prescribes, reported for information). */
  minSeverity?: Severity;
  /** Only the findings this accepts count (a rule shared by two steps). */
  counts?: (finding: Finding, analysis: ProjectAnalysis | undefined) => boolean;
  /** The fix to apply for a finding, when not its preferred one (the guide's way rather than the rule's first choice). */
  pick?: FixPicker;
  /** What the step's fix does, in words. */
  fixTitle: string;
  /** What to do that no edit does. */
  manual?: string;
  /** How the places are named in the summary. */
  noun: string;
  /** The places the step applies to; undefined when it does not apply at all. */
  places(input: ChecklistInput): { places: Place[]; unknown?: string } | undefined;
  /** Why the step may not apply. */
  notApplicable: string;
}

const RESTART = 'then: sudo docker restart kasm_proxy';

function blockPlace(block: ConfigBlock): Place | undefined {
  const owner = block.owner;
  return owner ? { file: owner.file.path, range: owner.file.lines.range(owner.node.start, owner.node.end) } : undefined;
}

function unique(places: ReadonlyArray<Place | undefined>): Place[] {
  const seen = new Map<string, Place>();
  for (const p of places) if (p) seen.set(`${p.file}:${p.range.start.line}:${p.range.start.character}`, p);
  return [...seen.values()];
}

const kasmModels = (input: ChecklistInput): ConfigModel[] => input.kasm.map((a) => a.model);
const versionOf = (input: ChecklistInput) => input.settings?.nginxVersion ?? input.kasm[0]?.settings.nginxVersion ?? '1.25.1';

function inKasm(collect: (model: ConfigModel) => Array<Place | undefined>) {
  return (input: ChecklistInput) => (input.kasm.length === 0 ? undefined : { places: unique(kasmModels(input).flatMap(collect)) });
}

/** The locations of an NGINX configuration that proxy to Kasm (a front proxy's). */
function kasmBoundLocations(model: ConfigModel) {
  return locations(model).filter((l) => {
    const target = l.proxyPass && proxyTarget(model, l.proxyPass);
    return target ? looksLikeKasm(target) : false;
  });
}

const NO_KASM = 'no Kasm tree (orchestrator.conf with services.d/) was found here';

/** The places of the page-only headers (X-Frame-Options, CSP, COEP, Referrer-Policy): the rules skip API locations. */
const pagePlaces = inKasm((model) => pageLocations(model, NEWEST_VERSION).map((l) => blockPlace(l.block)));
const proxyingPlaces = inKasm((model) => locations(model).filter((l) => l.proxyPass && l.public).map((l) => blockPlace(l.block)));

/** TLS servers, and the certificate or parameter files named there that kasmlint cannot read (so cannot check). */
function tlsPlaces(directives: readonly string[]) {
  return (input: ChecklistInput) => {
    if (input.kasm.length === 0) return undefined;
    const version = versionOf(input);
    const unreadable = new Set<string>();
    const places = unique(
      kasmModels(input).flatMap((model) =>
        tlsServers(model, version).map((server) => {
          for (const d of directives.flatMap((name) => effective(server.server, name, version).directives)) {
            const arg = d.node.args[0]?.value;
            if (!arg || arg.includes('$')) continue;
            const { localPath, read } = model.readReferenced(arg);
            if (!read.ok) unreadable.add(`${arg} (looked for at ${localPath})`);
          }
          return blockPlace(server.server);
        }),
      ),
    );
    if (places.length === 0) return undefined;
    const unknown = unreadable.size > 0 ? `kasmlint cannot read ${[...unreadable].join(', ')}, so it cannot check ${unreadable.size === 1 ? 'it' : 'them'}` : undefined;
    return { places, unknown };
  };
}

/** Whether a finding lies on a directive with one of these names. */
function onDirective(names: readonly string[]) {
  return (finding: Finding, analysis: ProjectAnalysis | undefined) => {
    const file = analysis?.model.files.get(finding.file);
    if (!file) return false;
    const offset = file.lines.offsetAt(finding.range.start);
    return analysis!.model.directives().some((d) => d.file === file && d.node.start <= offset && offset <= d.node.end && names.includes(d.node.name));
  };
}

const pickFix = (choices: Record<string, string>): FixPicker => (finding) => {
  const wanted = choices[finding.rule];
  return wanted === undefined ? preferredFix(finding) : finding.fixes.find((f) => f.id === wanted);
};

const CLOUDFLARED_RULES = RULES.filter((r) => r.checkTunnel).map((r) => r.meta.id);

export const STEPS: readonly StepDefinition[] = [
  {
    id: 'x-frame-options',
    title: 'X-Frame-Options',
    looksAt: 'kasm',
    guide: 'Send X-Frame-Options SAMEORIGIN from every location (unless Kasm is embedded in another site).',
    rules: ['headers/x-frame-options'],
    fixTitle: 'Add "X-Frame-Options: SAMEORIGIN" wherever it is missing',
    manual: RESTART,
    noun: 'location',
    places: pagePlaces,
    notApplicable: NO_KASM,
  },
  {
    id: 'content-security-policy',
    title: 'Content-Security-Policy',
    looksAt: 'kasm',
    guide: 'Uncomment the Content-Security-Policy lines Kasm ships (website.conf, upstream_proxy.conf), with their proxy_hide_header line.',
    rules: ['headers/content-security-policy'],
    fixTitle: "Uncomment Kasm's Content-Security-Policy lines (and add the policy where none is written)",
    manual: RESTART,
    noun: 'location',
    places: pagePlaces,
    notApplicable: NO_KASM,
  },
  {
    id: 'cross-origin-embedder-policy',
    title: 'Cross-Origin-Embedder-Policy',
    looksAt: 'kasm',
    guide: 'Uncomment the Cross-Origin-Embedder-Policy lines Kasm ships, with their proxy_hide_header line.',
    rules: ['headers/cross-origin-embedder-policy'],
    fixTitle: "Uncomment Kasm's Cross-Origin-Embedder-Policy lines (and add the header where none is written)",
    manual: RESTART,
    noun: 'location',
    places: pagePlaces,
    notApplicable: NO_KASM,
  },
  {
    id: 'tls',
    title: 'TLS settings',
    looksAt: 'kasm',
    guide: 'Restrict protocols and ciphers, use known key-exchange groups, and make session resumption and OCSP stapling work.',
    rules: ['tls/weak-protocol', 'tls/weak-cipher', 'tls/ecdh-curve', 'tls/session', 'tls/stapling'],
    // Stapling with a self-signed certificate is fixed by the certificates step, not by removing it.
    pick: pickFix({ 'tls/stapling': 'addResolver' }),
    fixTitle: 'Apply the TLS fixes of the tls/* rules (protocols, ciphers, groups, session tickets, a resolver for stapling)',
    manual: `stapling works once the certificate is signed by a CA (certificates step); ${RESTART}`,
    noun: 'TLS server',
    places: tlsPlaces([]),
    notApplicable: NO_KASM,
  },
  {
    id: 'dhparam',
    title: 'DH parameters and their docker-compose volume',
    looksAt: 'kasm',
    guide: 'Generate dhparam.pem, set ssl_dhparam, and mount the file into kasm_proxy in docker/docker-compose.yaml.',
    rules: ['tls/dhparam', 'kasm/compose-volume'],
    counts: (finding, analysis) => finding.rule !== 'kasm/compose-volume' || onDirective(['ssl_dhparam'])(finding, analysis),
    pick: pickFix({ 'tls/dhparam': 'addDhparam' }),
    fixTitle: 'Add "ssl_dhparam /etc/ssl/certs/dhparam.pem;" and its volume in docker-compose.yaml',
    manual:
      'create the file: sudo openssl dhparam -out /opt/kasm/current/certs/dhparam.pem 4096 && sudo chown kasm:kasm /opt/kasm/current/certs/dhparam.pem; ' +
      'then re-create the container: sudo docker rm -f kasm_proxy && sudo /opt/kasm/bin/start',
    noun: 'TLS server',
    places: tlsPlaces(['ssl_dhparam']),
    notApplicable: NO_KASM,
  },
  {
    id: 'certificates',
    title: 'Certificates',
    looksAt: 'kasm',
    guide: "Replace the self-signed certificate with one your CA signs (kasm_nginx.crt and .key in /opt/kasm/current/certs, owned by kasm).",
    rules: ['tls/certificate', 'kasm/compose-volume'],
    counts: (finding, analysis) => finding.rule !== 'kasm/compose-volume' || onDirective(['ssl_certificate', 'ssl_certificate_key'])(finding, analysis),
    fixTitle: 'Mount custom certificate files into kasm_proxy',
    manual:
      'copy your certificate and key over /opt/kasm/current/certs/kasm_nginx.crt and kasm_nginx.key (PEM), sudo chown kasm:kasm both, ' +
      'then sudo /opt/kasm/bin/stop && sudo /opt/kasm/bin/start',
    noun: 'TLS server',
    places: tlsPlaces(['ssl_certificate', 'ssl_certificate_key']),
    notApplicable: NO_KASM,
  },
  {
    id: 'referrer-policy',
    title: 'Referrer-Policy',
    looksAt: 'kasm',
    guide: "Send Referrer-Policy same-origin from every file of services.d that sets headers.",
    rules: ['headers/referrer-policy'],
    fixTitle: 'Add "Referrer-Policy: same-origin" wherever it is missing',
    manual: RESTART,
    noun: 'location',
    places: pagePlaces,
    notApplicable: NO_KASM,
  },
  {
    id: 'rate-limiting',
    title: 'Rate limiting',
    looksAt: 'kasm',
    guide: 'Define a limit_req_zone above the server in orchestrator.conf, keyed for the deployment, and limit_req in every proxied location.',
    rules: ['ratelimit/missing', 'ratelimit/spoofable-key'],
    fixTitle: 'Add a limit_req_zone (keyed for the deployment setting) and limit_req to every proxied location',
    manual: RESTART,
    noun: 'proxied location',
    places: proxyingPlaces,
    notApplicable: NO_KASM,
  },
  {
    id: 'cors',
    title: 'CORS',
    looksAt: 'kasm',
    guide: 'Replace the reflected $http_origin with a fixed origin, or a map $http_origin allow-list with escaped dots.',
    rules: ['cors/reflected-origin', 'cors/origin-regex', 'cors/wildcard-with-credentials'],
    fixTitle: 'Allow only the server\'s own origin (https://<server_name>) where the Origin is echoed',
    manual: `the fix needs a real server_name; for several zones use the allow-list fix in the editor; ${RESTART}`,
    noun: 'CORS header',
    places: inKasm((model) => allowOriginHeaders(model).map((d) => ({ file: d.file.path, range: d.file.lines.range(d.node.start, d.node.end) }))),
    notApplicable: NO_KASM,
  },
  {
    id: 'front-proxy-websocket',
    title: 'WebSocket headers on the front proxy',
    looksAt: 'front',
    guide: 'An NGINX in front of Kasm passes proxy_http_version 1.1, Upgrade $http_upgrade and Connection "upgrade" (desktop streaming needs them).',
    rules: ['websocket/missing-upgrade'],
    fixTitle: 'Add proxy_http_version 1.1 and the Upgrade and Connection headers',
    manual: 'then reload the front proxy (nginx -s reload)',
    noun: 'location proxying to Kasm',
    places: (input) => (input.front.length > 0 ? { places: unique(input.front.flatMap((a) => kasmBoundLocations(a.model).map((l) => blockPlace(l.block)))) } : undefined),
    notApplicable: 'no NGINX configuration proxying to Kasm was found here',
  },
  {
    id: 'cloudflared',
    title: 'Cloudflare Tunnel',
    looksAt: 'tunnels',
    guide: 'Ingress to https://localhost:443 (noTLSVerify, or caPool with Kasm\'s certificate), a catch-all http_status:404 last, and a config cloudflared accepts.',
    rules: CLOUDFLARED_RULES,
    minSeverity: 'warning',
    fixTitle: 'Apply the fixes of the cloudflared/* rules',
    manual: "in Kasm's admin UI (Infrastructure > Zones), set Upstream Auth Address to the tunnel host name and Proxy Port to 0 (new sessions only); then sudo systemctl restart cloudflared",
    noun: 'tunnel config',
    places: (input) => {
      if (input.tunnels.length > 0) return { places: input.tunnels.map((t) => ({ file: t.tunnel.file.path, range: t.tunnel.file.lines.range(0, t.tunnel.file.text.length) })) };
      if (input.settings?.deployment === 'cloudflare-tunnel') return { places: [], unknown: 'the deployment setting is cloudflare-tunnel, but no cloudflared config was found here' };
      return undefined;
    },
    notApplicable: 'no cloudflared config was found here',
  },
];

export const STEPS_BY_ID: ReadonlyMap<string, StepDefinition> = new Map(STEPS.map((s) => [s.id, s]));

/** Every rule a step of the checklist asks (what a preset that follows the guide raises). */
export const CHECKLIST_RULES: ReadonlySet<string> = new Set(STEPS.flatMap((s) => s.rules));

export interface OpenItem {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
}

export interface StepResult {
  id: string;
  title: string;
  guide: string;
  state: StepState;
  /** In words: "22 of 22 locations", "done", "not applicable: ...". */
  summary: string;
  places: { total: number; open: number };
  /** The findings that keep the step open. */
  where: OpenItem[];
  /** The step's fix, when some of its findings have one. */
  fix?: { title: string; applicability: 'safe' | 'unsafe'; fixes: string[] };
  manual?: string;
}

export interface Checklist {
  steps: StepResult[];
  /** The steps still open (partly or not done). */
  open: number;
  kasmTrees: string[];
  frontProxies: string[];
  tunnels: string[];
}

/** Sorts a lint run's configurations into what the steps look at. */
export function checklistInput(run: LintRun): ChecklistInput {
  const kasm = run.analyses.filter((a) => a.project.kind === 'kasm');
  const front = run.analyses.filter((a) => a.project.kind !== 'kasm' && !isKasmModel(a.model) && kasmBoundLocations(a.model).length > 0);
  return { kasm, front, tunnels: run.tunnels, settings: kasm[0]?.settings };
}

/** The findings that keep a step open, in the configurations it looks at. */
function stepFindings(step: StepDefinition, input: ChecklistInput): Finding[] {
  const sources: Array<{ analysis?: ProjectAnalysis; findings: Finding[] }> =
    step.looksAt === 'tunnels' ? input.tunnels.map((t) => ({ findings: t.findings })) : input[step.looksAt].map((a) => ({ analysis: a, findings: a.findings }));
  return sources.flatMap(({ analysis, findings }) => findings.filter((f) => counts(step, f, analysis)));
}

function counts(step: StepDefinition, finding: Finding, analysis: ProjectAnalysis | undefined): boolean {
  if (!step.rules.includes(finding.rule)) return false;
  if (step.minSeverity && SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[step.minSeverity]) return false;
  return step.counts ? step.counts(finding, analysis) : true;
}

function within(place: Place, finding: Finding): boolean {
  if (place.file !== finding.file) return false;
  const at = finding.range.start;
  const { start, end } = place.range;
  const after = at.line > start.line || (at.line === start.line && at.character >= start.character);
  const before = at.line < end.line || (at.line === end.line && at.character <= end.character);
  return after && before;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function evaluateStep(step: StepDefinition, input: ChecklistInput): StepResult {
  const base = { id: step.id, title: step.title, guide: step.guide };
  const scope = step.places(input);
  if (!scope) {
    return { ...base, state: 'not-applicable', summary: `not applicable: ${step.notApplicable}`, places: { total: 0, open: 0 }, where: [] };
  }
  const findings = stepFindings(step, input);
  const where = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, file: f.file, range: f.range }));
  const openPlaces = scope.places.filter((p) => findings.some((f) => within(p, f))).length;
  const total = scope.places.length;
  let state: StepState;
  if (findings.length === 0) state = scope.unknown ? 'unknown' : 'done';
  else if (openPlaces > 0 && openPlaces < total) state = 'partly';
  else state = 'not-done';
  const pick = step.pick ?? preferredFix;
  const fixes = findings.map(pick).filter((f): f is Fix => f !== undefined && f.edits.length > 0);
  const summary =
    state === 'done'
      ? total > 0
        ? `done in ${total === 1 ? 'the' : `all ${total}`} ${total === 1 ? step.noun : `${step.noun}s`}`
        : 'done'
      : state === 'unknown'
        ? `cannot tell: ${scope.unknown}`
        : `${openPlaces > 0 ? `open in ${openPlaces} of ${plural(total, step.noun)}` : `open`} (${plural(findings.length, 'finding')})${scope.unknown ? `; ${scope.unknown}` : ''}`;
  return {
    ...base,
    state,
    summary,
    places: { total, open: openPlaces },
    where,
    ...(fixes.length > 0
      ? { fix: { title: step.fixTitle, applicability: fixes.every((f) => f.applicability === 'safe') ? 'safe' : 'unsafe', fixes: [...new Set(fixes.map((f) => f.title))] } }
      : {}),
    ...(step.manual ? { manual: step.manual } : {}),
  };
}

export function evaluateChecklist(input: ChecklistInput): Checklist {
  const steps = STEPS.map((step) => evaluateStep(step, input));
  return {
    steps,
    open: steps.filter((s) => s.state === 'partly' || s.state === 'not-done').length,
    kasmTrees: input.kasm.map((a) => a.project.dir),
    frontProxies: input.front.map((a) => a.project.dir),
    tunnels: input.tunnels.map((t) => t.tunnel.file.path),
  };
}

/**
 * The lint options the checklist runs with: the steps' rules are on at their own severities whatever
 * the settings say, so that a step's state is the guide's, not the one a rule's severity was set to;
 * and without maxFindingsPerRule, which stops a rule's reports (a step none of whose places was done
 * read "partly" past it, and its fix left places open).
 */
export function checklistOptions(options: LintOptions): LintOptions {
  return {
    ...options,
    adjust: (settings) => {
      const adjusted = options.adjust ? options.adjust(settings) : settings;
      const rules = { ...adjusted.rules };
      for (const id of CHECKLIST_RULES) if (rules[id]) rules[id] = { ...rules[id], severity: undefined };
      return { ...adjusted, rules, maxFindingsPerRule: 0 };
    },
  };
}

/** The checklist of the configurations under `paths`. */
export function checklistOf(paths: readonly string[], options: LintOptions): { checklist: Checklist; run: LintRun } {
  const run = lintPaths(paths, checklistOptions(options));
  return { checklist: evaluateChecklist(checklistInput(run)), run };
}

/** The findings of a run that keep a step open (what its fix fixes). */
export function openFindings(step: StepDefinition, run: LintRun): Finding[] {
  return stepFindings(step, checklistInput(run));
}

/**
 * A step's fix, on texts in memory: its findings' fixes (the step's pick, unsafe ones included: the user
 * asked for this step), pass after pass. Returns the new text of each file it changes.
 */
export function fixStepInMemory(stepId: string, paths: readonly string[], options: LintOptions): { texts: Map<string, string>; applied: number } {
  const step = STEPS_BY_ID.get(stepId);
  if (!step) throw new Error(`no checklist step "${stepId}"`);
  const lintOptions = checklistOptions(options);
  const relint = (changed: ReadonlyMap<string, string>) => {
    const host = new OverlayHost(options.host, new Map([...changed].map(([path, text]) => [path, { text, version: 0 }])));
    const run = lintPaths(paths, { ...lintOptions, host });
    return { ...textRunOf(run), findings: openFindings(step, run) };
  };
  return fixInMemory(relint(new Map()), relint, { unsafe: true, select: () => true, pick: step.pick });
}
