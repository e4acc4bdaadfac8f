// Analysis of one project: read and parse its files, expand includes into the configuration model,
// run the rules, and turn their reports into findings (ranges, messages, fixes), suppressions applied.

import { basename, join } from 'node:path';
import { type ConfigBlock, type ConfigDirective, ConfigModel, type ReadFile, type Root } from '../model/config';
import { inferContext } from '../model/context';
import { forEachDirective, type ParsedFile } from '../nginx/ast';
import { DirectiveCatalog } from '../nginx/directives';
import type { LoadedModules } from '../nginx/modules';
import { loadedModules } from '../semantics/loaded-modules';
import { parseNginx } from '../nginx/parser';
import { changeBetween, type ReparseEdit, reparseDirective, reparseStatements } from '../nginx/reparse';
import { RULES, RULES_BY_ID } from '../rules/registry';
import { type EditSpec, type FixDeclaration, type FixSpec, formatTemplate, messageParts, type MessageDeclaration, type NginxError, type Report, type Rule } from '../rules/rule';
import findingLimitRule from '../rules/kasmlint/finding-limit';
import suppressionRule from '../rules/kasmlint/suppression';
import { expandGlob, isGlob } from '../workspace/glob';
import { AnalysisSnapshotHost, type FileHost } from '../workspace/host';
import { PathResolver } from '../workspace/paths';
import { implicitLayout, kasmTreesIn, type ProjectRoot } from '../workspace/project';
import type { Finding, Fix, TextEdit } from './findings';
import { automaticPreset, findingSeverity, presetSeverity, type Preset } from './presets';
import type { Settings } from './settings';
import { applySuppressions } from './suppress';
import { asOutside, isOutside, outsideReport, outsideRoots } from './outside';
import outsideRule from '../rules/kasmlint/outside-configuration';
import { type DirectivePlace, planReuse, type ReusableResults, type ReusePlan, type ReuseBasis, type RuleRecord, type VerdictCandidate } from './reuse';

/** What `nginx -t` would say; some errors (a zone never sized) come without a file and line. */
export type NginxVerdict =
  | { ok: true }
  | {
      ok: false;
      message: string;
      file?: string;
      line?: number;
      /** Where in nginx's reading order it stops (see NginxError), and the offset in `file` of what it stops at. */
      position: { seq: number; foundAt: number; offset: number };
    };

export interface ProjectAnalysis {
  project: ProjectRoot;
  settings: Settings;
  /** The preset the severities come from: the settings', or the one chosen for this configuration. */
  preset: Preset;
  model: ConfigModel;
  catalog: DirectiveCatalog;
  /** The modules the configuration loads. */
  modules: LoadedModules;
  findings: Finding[];
  /** What `nginx -t` would report first, as far as the rules can tell. */
  nginx: NginxVerdict;
  /** Rules that failed with an exception (a bug in kasmlint): the rest of the analysis still ran. */
  internalErrors: string[];
  /** What the next analysis of this project may take over (see engine/reuse.ts). */
  reusable: ReusableResults;
}

/** Parsed files kept between analyses (the language server re-analyses on every keystroke). */
export class ParseCache {
  private readonly entries = new Map<string, ParsedFile>();
  /** How a tree came from the one before it, when a reparse in place made it. */
  private readonly edits = new WeakMap<ParsedFile, ReparseEdit>();

  get(path: string, text: string, latin1: boolean): ParsedFile {
    const cached = this.entries.get(path);
    if (cached && cached.text === text && cached.latin1 === latin1) return cached;
    // an edit inside one directive (typing a value) reads that directive again, not the whole file
    // (where the texts differ is found once for both ways of reading in place)
    const before = cached && cached.latin1 === latin1 ? cached : undefined;
    const change = before && changeBetween(before.text, text);
    // (an edit across statements of one block, a directive typed on a new line, reads those statements again)
    const reparsed = before && (reparseDirective(before, text, change) ?? reparseStatements(before, text, change));
    if (reparsed) {
      // only the last edit of a path is asked for: the one before would keep every earlier tree alive (edit.from)
      this.edits.delete(reparsed.edit.from);
      this.edits.set(reparsed.file, reparsed.edit);
    }
    const parsed = reparsed ? reparsed.file : parseNginx(path, text, { latin1 });
    this.entries.set(path, parsed);
    return parsed;
  }

  /** The edit that made `file` from an earlier tree of its path (see ReparseEdit), if a reparse made it. */
  editOf(file: ParsedFile): ReparseEdit | undefined {
    return this.edits.get(file);
  }

  delete(path: string): void {
    this.entries.delete(path);
  }
}

export interface AnalyzeOptions {
  host: FileHost;
  settings: Settings;
  /** Every NGINX file of the project: those nothing includes are read on their own. */
  files: readonly string[];
  rules?: readonly Rule[];
  cache?: ParseCache;
  /**
   * The analysis of this project before this one, made with the same cache: the rules an edit of one
   * directive's arguments cannot change keep their findings from it (engine/reuse.ts).
   */
  previous?: ProjectAnalysis;
}

const KASM_ROOT_REASON = "Kasm's proxy container reads every *.conf of this folder inside its http block (include /etc/nginx/conf.d/*.conf)";

export function analyzeProject(project: ProjectRoot, options: AnalyzeOptions): ProjectAnalysis {
  const steps = analysisSteps(project, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same analysis in steps: the generator stops before it starts, after parsing each file, after
 * reading the configuration, after each rule and where a rule pauses inside its work, so that a caller
 * (the language server) can answer requests in between, or abandon an analysis that a newer edit made
 * useless. Each pause names the step just done ('start', 'parse <path>', 'model', a rule id). Run to
 * its end, it gives what analyzeProject gives.
 */
export function* analysisSteps(project: ProjectRoot, options: AnalyzeOptions): Generator<string, ProjectAnalysis, void> {
  const { settings } = options;
  const host = new AnalysisSnapshotHost(options.host);
  const cache = options.cache ?? new ParseCache();
  const baseCatalog = DirectiveCatalog.forVersion(settings.nginxVersion, settings.nginxEdition);
  const layout = implicitLayout(project);
  const resolver = new PathResolver(settings.prefix ?? layout.prefix, [...settings.pathMappings, ...layout.mappings]);

  const readFile: ReadFile = (path) => {
    const read = host.read(path);
    if (read.ok) return cache.get(path, read.text, read.latin1);
    cache.delete(path); // a document closed and never saved, or a file deleted: its tree is not kept
    return { reason: read.reason, message: read.message };
  };

  // A pause before any work (the server answers what came in with the edit first), then the files are
  // parsed one step each: reading the configuration below finds them parsed.
  yield 'start';
  for (const path of options.files) {
    readFile(path);
    yield `parse ${path}`;
  }

  const model = new ConfigModel(host, resolver, readFile);
  if (project.kind === 'kasm') {
    model.addRoot({ kind: 'glob', pattern: join(project.dir, '*.conf'), context: 'http', reason: KASM_ROOT_REASON });
  } else if (project.kind === 'nginx') {
    model.addRoot({ kind: 'file', path: join(project.dir, 'nginx.conf'), context: 'main', reason: 'nginx.conf' });
  }
  addUnreachedFiles(model, options.files, readFile, resolver, host, baseCatalog);
  const modules = loadedModules(model);
  const catalog = baseCatalog.withModules(modules.known, modules.visible && !modules.unresolvedModulesInclude);
  yield 'model';

  const internalErrors: string[] = [];
  const audience = audienceOf(settings, project.kind === 'kasm' || (project.kind === 'nginx' && kasmTreesIn(host, project.dir).length > 0));
  const rules = options.rules ?? RULES;
  const outside = outsideRoots(model, project);
  const basis: ReuseBasis = {
    projectDir: project.dir,
    projectKind: project.kind,
    settings,
    preset: audience.preset,
    rules,
    fileList: options.files,
    files: model.files,
    roots: model.roots.map((r) => ({ file: r.file, context: r.context, reason: r.reason })),
    outside: outside.size,
  };
  const plan = planReuse(
    options.previous?.reusable,
    basis,
    (file) => cache.editOf(file),
    (path) => model.instances(path).map((i) => i.block.owner?.node.name ?? ''),
  );
  const run = yield* runRules(model, catalog, modules, settings, rules, internalErrors, audience, outside, plan);
  return {
    project,
    settings,
    preset: audience.preset,
    model,
    catalog,
    modules,
    findings: run.findings,
    nginx: run.nginx,
    internalErrors,
    reusable: { basis, records: run.records },
  };
}

/**
 * Files nothing includes are read on their own, in the context they declare or imply. Among them,
 * those that no other one includes go first, so that an includer is not read as an include target.
 */
function addUnreachedFiles(
  model: ConfigModel,
  files: readonly string[],
  readFile: ReadFile,
  resolver: PathResolver,
  host: FileHost,
  catalog: DirectiveCatalog,
): void {
  const pending = [...files].filter((f) => !model.reached(f)).sort();
  if (pending.length === 0) return;
  const includedByPending = new Set<string>();
  for (const path of pending) {
    const parsed = readFile(path);
    if (!('root' in parsed)) continue;
    forEachDirective(parsed.root, (d) => {
      if (d.name !== 'include' || d.args.length !== 1) return;
      const { localPath } = resolver.resolve(d.args[0]!.value);
      for (const target of isGlob(localPath) ? expandGlob(host, localPath) : [localPath]) {
        if (target !== path) includedByPending.add(target);
      }
    });
  }
  const ordered = [...pending.filter((p) => !includedByPending.has(p)), ...pending.filter((p) => includedByPending.has(p))];
  for (const path of ordered) {
    if (model.reached(path)) continue;
    const parsed = readFile(path);
    if (!('root' in parsed)) continue;
    const choice = inferContext(parsed, catalog, basename(path));
    model.addRoot({ kind: 'file', path, context: choice.context, reason: choice.reason });
  }
}

interface RuleRun {
  findings: Finding[];
  nginx: NginxVerdict;
  /** Each rule's findings, for the next analysis (rules stopped by the limit or an exception are left out). */
  records: Map<string, RuleRecord>;
}

function* runRules(
  model: ConfigModel,
  catalog: DirectiveCatalog,
  modules: LoadedModules,
  settings: Settings,
  rules: readonly Rule[],
  internalErrors: string[],
  audience: FindingAudience,
  outside: ReadonlySet<Root>,
  reuse: ReusePlan | undefined,
): Generator<string, RuleRun, void> {
  const findings: Finding[] = [];
  const records = new Map<string, RuleRecord>();
  // The same rule, file, range and message is reported once. Findings found by where they start (line,
  // then character): comparing the few at one place costs less than a string key of each finding.
  const seen = new Map<number, Map<number, Finding[]>>();
  const firstAtItsPlace = (finding: Finding): boolean => {
    const { start, end } = finding.range;
    let onLine = seen.get(start.line);
    if (!onLine) seen.set(start.line, (onLine = new Map()));
    const here = onLine.get(start.character);
    if (!here) {
      onLine.set(start.character, [finding]);
      return true;
    }
    const same = (f: Finding) =>
      f.rule === finding.rule && f.file === finding.file && f.message === finding.message && f.range.end.line === end.line && f.range.end.character === end.character;
    if (here.some(same)) return false;
    here.push(finding);
    return true;
  };
  /** Forgets a finding made and then thrown away (a rule that runs again whole reports it again). */
  const unsee = (finding: Finding): void => {
    const here = seen.get(finding.range.start.line)?.get(finding.range.start.character);
    const at = here ? here.indexOf(finding) : -1;
    if (at >= 0) here!.splice(at, 1);
  };
  // nginx -t reads one configuration: the first root (a Kasm tree's http block, or nginx.conf).
  const primary = model.roots[0];
  const order = (e: NginxError) => [e.atStartup ? 1 : 0, e.foundAt ?? e.seq, e.seq];
  const before = (x: number[], y: number[]) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
    return false;
  };
  let first: VerdictCandidate | undefined;
  let firstOrder: number[] | undefined;
  // the first of the rule under way, kept with its findings
  let rulesFirst: VerdictCandidate | undefined;
  let rulesFirstOrder: number[] | undefined;
  const consider = (candidate: VerdictCandidate) => {
    const key = order(candidate);
    if (!firstOrder || before(key, firstOrder)) {
      first = candidate;
      firstOrder = key;
    }
    if (!rulesFirstOrder || before(key, rulesFirstOrder)) {
      rulesFirst = candidate;
      rulesFirstOrder = key;
    }
  };

  const limit = settings.maxFindingsPerRule > 0 ? settings.maxFindingsPerRule : Infinity;
  let counted = 0;
  let stopped = false;
  // The nginx/* rules go on past the limit (without storing more findings): nginx's verdict needs them.
  let decidesVerdict = false;

  const convertedEdits = new Map<EditSpec, TextEdit>();
  const add = (rule: Rule, given: Report<string, string>) => {
    const report = atNginxLine(given);
    const e = report.nginx;
    if (e && primary && e.seq >= primary.seqStart && e.seq < primary.seqEnd) consider({ ...e, file: e.file ?? report.file.path, offset: report.start });
    if (stopped) return;
    if (counted >= limit) {
      stopped = true;
      const note = toFinding(findingLimitRule as Rule, { message: 'stopped', data: { rule: rule.meta.id, limit }, file: report.file, start: report.start, end: report.end }, settings, audience);
      if (note) findings.push(note);
      if (!decidesVerdict) throw new RuleStopped();
      return;
    }
    let finding = toFinding(rule, report, settings, audience, convertedEdits);
    if (!finding) return;
    if (outside.size > 0 && (isOutside(model, report.file.path, outside) || finding.fixes.some((f) => f.edits.some((e) => isOutside(model, e.file, outside))))) {
      finding = asOutside(finding, report, model, outside);
    }
    if (!firstAtItsPlace(finding)) return;
    findings.push(finding);
    counted++;
  };

  /** Whether a report (about reading position `seq`) would be thrown away: see RuleContext.stopped. */
  const isStopped = (seq?: number) => {
    if (!stopped) return false;
    if (!decidesVerdict || !primary) return true;
    if (seq === undefined) return false;
    // nothing read at `seq` comes before (0, seq, seq) in nginx's order (see `order`)
    return seq < primary.seqStart || seq >= primary.seqEnd || (firstOrder !== undefined && before(firstOrder, [0, seq, seq]));
  };

  // Files outside the configuration are reported by the engine itself, under the same limit as a rule.
  const reportOutside = (report: (r: Report<string, string>) => void) => {
    for (const root of outside) {
      const r = outsideReport(root, primary, model);
      if (r) report(r);
    }
  };
  type Check = (report: (r: Report<string, string>) => void, only?: readonly ConfigDirective[], locations?: ReadonlySet<ConfigBlock>) => void | Iterator<void, void, void>;
  const runs: Array<[Rule, Check]> = [
    [outsideRule as Rule, reportOutside],
    ...rules.map((rule): [Rule, Check] => [
      rule,
      (report, only, locations) =>
        rule.check?.({ model, catalog, modules, settings, options: ruleOptions(rule, settings), report, stopped: isStopped, ...(only ? { only } : {}), ...(locations ? { locations } : {}) }),
    ]),
  ];
  // the instances of the directives an edit asks to check again (the edited ones and their block's
  // directive; when a name changed, those beside them too), for the rules that check each directive on its own
  let editedInstances: ConfigDirective[] | undefined;
  const instancesAt = (edited: readonly DirectivePlace[] | undefined): readonly ConfigDirective[] => {
    if (!edited || edited.length === 0) return [];
    if (!editedInstances) {
      const startsByName = new Map<string, Set<number>>();
      for (const place of edited) {
        const starts = startsByName.get(place.name);
        if (starts) starts.add(place.start);
        else startsByName.set(place.name, new Set([place.start]));
      }
      const path = edited[0]!.path;
      editedInstances = [];
      for (const [name, starts] of startsByName) {
        for (const d of model.named(name)) if (d.file.path === path && starts.has(d.node.start)) editedInstances.push(d);
      }
    }
    return editedInstances;
  };
  // the blocks of the instances of the location an edit was inside, and of the locations nested in them,
  // for the rules that check each location on its own
  let editedLocations: Set<ConfigBlock> | undefined;
  const locationsAt = (edited: DirectivePlace): ReadonlySet<ConfigBlock> => {
    if (!editedLocations) {
      const instances = new Set<ConfigBlock>();
      for (const d of model.named('location')) if (d.block && d.file.path === edited.path && d.node.start === edited.start) instances.add(d.block);
      editedLocations = new Set(instances);
      for (const d of model.named('location')) {
        const block = d.block;
        if (!block) continue;
        for (let b: ConfigBlock | undefined = d.parent; b; b = b.parent) {
          if (instances.has(b)) {
            editedLocations.add(block);
            break;
          }
        }
      }
    }
    return editedLocations;
  };
  // Findings taken over from the analysis before compute their fixes, when asked, from the rule run again.
  const rerunFindings = new Map<string, Map<string, Finding>>();
  const fixesFromRerun = (rule: Rule, key: string): Fix[] => {
    let byKey = rerunFindings.get(rule.meta.id);
    if (!byKey) {
      const found = new Map<string, Finding>();
      byKey = found;
      rerunFindings.set(rule.meta.id, found);
      try {
        const collect = (r: Report<string, string>) => {
          const f = toFinding(rule, atNginxLine(r), settings, audience);
          const key = f && keyOf(f.file, f.range, f.message);
          if (f && !found.has(key!)) found.set(key!, f);
        };
        const pieces = rule.check?.({ model, catalog, modules, settings, options: ruleOptions(rule, settings), report: collect, stopped: () => false });
        if (pieces) for (let piece = pieces.next(); !piece.done; piece = pieces.next());
      } catch {
        // the run that found it reported the exception
      }
    }
    return byKey.get(key)?.fixes ?? [];
  };
  // (the finding must not hold the analysis before: its fixes would keep it alive)
  const relazy = (rule: Rule) => {
    // one function for all the rule's findings; the key made when the fixes are asked for, not for each
    // of thousands of findings at each edit
    const compute = (f: Finding) => fixesFromRerun(rule, keyOf(f.file, f.range, f.message));
    return (finding: Finding, range: Finding['range'], related: Finding['related']) => {
      // Not moved, fixes not asked for yet: the same finding (a new one per finding and edit was most of
      // what an edit of a long file allocated), now asking this analysis for its fixes. Fixes are only
      // given from an analysis of the editor's current text, so the one before has no use for them.
      if (range === finding.range && related === finding.related && finding instanceof FindingWithLazyFixes && finding.recompute(compute)) return finding;
      return new FindingWithLazyFixes(finding.rule, finding.severity, finding.message, finding.detail, finding.file, range, compute, related);
    };
  };
  const lazy = (finding: Finding) => finding instanceof FindingWithLazyFixes;

  for (const [rule, check] of runs) {
    if (!ruleRuns(rule, settings, audience.preset)) continue;
    const taken = reuse?.take(rule, relazy(rule), lazy);
    if (taken) {
      for (const finding of taken.findings) findings.push(finding);
      if (taken.verdict) consider(taken.verdict);
      records.set(rule.meta.id, taken);
      continue;
    }
    const from = findings.length;
    decidesVerdict = rule.meta.id.startsWith('nginx/');
    // A rule that checks each directive (location) on its own keeps what it found about the others and
    // checks the edited one; if that reaches the finding limit or fails, it runs whole (as from scratch).
    const others = reuse?.takeOthers(rule, relazy(rule), lazy) ?? reuse?.takeOtherLocations(rule, relazy(rule), lazy);
    if (others) {
      const verdictBefore = { first, firstOrder };
      counted = others.findings.length;
      stopped = false;
      rulesFirst = undefined;
      rulesFirstOrder = undefined;
      for (const finding of others.findings) findings.push(finding);
      if (others.verdict) consider(others.verdict);
      let failed = false;
      try {
        const pieces = check((r) => add(rule, r), rule.meta.perDirective ? instancesAt(others.checked) : undefined, others.location && locationsAt(others.location));
        if (pieces) for (let piece = pieces.next(); !piece.done; piece = pieces.next()) yield rule.meta.id;
      } catch {
        failed = true; // the rule runs whole below, and reports its exception if it throws again
      }
      // (an error before the edit about a directive checked again: the check found one no later, which
      // comes before every error of the others)
      const displaced = others.displacedVerdict;
      const firstKept = !displaced || (rulesFirstOrder !== undefined && !before(order(displaced), rulesFirstOrder));
      if (!failed && !stopped && firstKept) {
        records.set(rule.meta.id, rulesFirst ? { findings: findings.slice(from), verdict: rulesFirst } : { findings: findings.slice(from) });
        yield rule.meta.id;
        continue;
      }
      for (const finding of findings.splice(from)) unsee(finding);
      ({ first, firstOrder } = verdictBefore);
    }
    counted = 0;
    stopped = false;
    rulesFirst = undefined;
    rulesFirstOrder = undefined;
    let failed = false;
    try {
      // a rule written as a generator pauses inside its work too
      const pieces = check((r) => add(rule, r));
      if (pieces) for (let piece = pieces.next(); !piece.done; piece = pieces.next()) yield rule.meta.id;
    } catch (error) {
      failed = !(error instanceof RuleStopped);
      if (failed) internalErrors.push(`internal error in rule ${rule.meta.id}: ${(error as Error).stack ?? error}`);
    }
    // Past the limit an nginx/* rule skips what cannot come before the first error found so far, by any
    // rule: its own first error depends on the rules before it, so it runs again next time. Any other
    // rule stops at its limit whatever the others found: its findings, up to the note, can be kept.
    if (!failed && !(stopped && decidesVerdict)) records.set(rule.meta.id, rulesFirst ? { findings: findings.slice(from), verdict: rulesFirst } : { findings: findings.slice(from) });
    yield rule.meta.id;
  }

  // the suppression comments' findings are a rule of their own, with a limit of their own: past it they
  // stop without ending the analysis (20,000 comments that suppress nothing threw out of the lint)
  counted = 0;
  stopped = false;
  decidesVerdict = false;
  const reportSuppression = (report: Report<string, string>) => {
    try {
      add(suppressionRule as Rule, report);
    } catch (error) {
      if (!(error instanceof RuleStopped)) throw error;
    }
  };
  const kept = applySuppressions([...model.files.values()], findings, (id) => ruleRuns(RULES_BY_ID.get(id), settings, audience.preset), reportSuppression);
  kept.sort(compareFindings);
  return { findings: kept, nginx: verdictOf(first), records };
}

function keyOf(file: string, range: Finding['range'], message: string): string {
  const { start, end } = range;
  return `${file}\n${start.line}:${start.character}-${end.line}:${end.character}\n${message}`;
}

/**
 * An error nginx names at the line of a directive's `;` (its handler runs when the directive is read)
 * is shown on that line, even when what it is about stands on an earlier line of a directive spread
 * over several; that place stays as related information.
 */
function atNginxLine(report: Report<string, string>): Report<string, string> {
  const e = report.nginx;
  if (!e || e.foundAt !== undefined || e.atStartup || e.unlocated) return report;
  const { file } = report;
  if (file.lines.nginxLine(report.start) >= e.line) return report;
  const text = file.text;
  // the line a line start is on (nginxLine(offset) counts a "\n" at offset: a blank line's is its end)
  const lineOfStart = (offset: number) => (offset === 0 ? 1 : file.lines.nginxLine(offset - 1));
  let lineStart = report.start;
  while (lineStart < text.length && lineOfStart(lineStart) < e.line) {
    const next = text.indexOf('\n', lineStart);
    if (next < 0) return report;
    lineStart = next + 1;
  }
  let start = lineStart;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return {
    ...report,
    start,
    end,
    related: [{ file, start: report.start, end: report.end, message: 'what nginx refuses starts here' }, ...(report.related ?? [])],
  };
}

function verdictOf(first: VerdictCandidate | undefined): NginxVerdict {
  if (!first) return { ok: true };
  const position = { seq: first.seq, foundAt: first.atStartup ? Number.POSITIVE_INFINITY : (first.foundAt ?? first.seq), offset: first.offset };
  if (first.unlocated) return { ok: false, message: first.message, position };
  return { ok: false, message: first.message, file: first.file, line: first.line, position };
}

/** A rule's options: its declared defaults, overridden by the settings. */
export function ruleOptions(rule: Rule, settings: Settings): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(rule.meta.options ?? {})) options[name] = option.default;
  return Object.assign(options, settings.rules[rule.meta.id]?.options);
}

/** Thrown through a rule's check when it reaches the limit of findings. */
class RuleStopped extends Error {}

/** Whether a rule runs: the user did not turn it off, nor (unless the user set a severity) the preset. */
export function ruleRuns(rule: Rule | undefined, settings: Settings, preset: Preset): boolean {
  if (!rule) return false;
  const configured = settings.rules[rule.meta.id]?.severity;
  return configured ? configured !== 'off' : presetSeverity(rule.meta, preset) !== 'off';
}

/**
 * Whom findings speak to: the preset their severities come from, and whether it is one of Kasm's
 * (Kasm words only then; automatically, only on a Kasm tree).
 */
export interface FindingAudience {
  preset: Preset;
  kasm: boolean;
}

export function audienceOf(settings: Settings, kasmTree: boolean): FindingAudience {
  const preset = settings.preset ?? automaticPreset(kasmTree);
  return { preset, kasm: preset !== 'nginx-recommended' };
}

/**
 * A rule's report as a finding. `converted` keeps each edit's conversion for one analysis: a rule may
 * offer the same edits in the fixes of many findings (the allow-list fix of each of thousands of
 * echoing CORS headers switches all of them).
 */
export function toFinding(rule: Rule, report: Report<string, string>, settings: Settings, audience: FindingAudience, converted?: Map<EditSpec, TextEdit>): Finding | undefined {
  const meta = rule.meta;
  const declared = (meta.messages as Record<string, MessageDeclaration>)[report.message];
  if (declared === undefined) throw new Error(`rule ${meta.id} reports message "${report.message}" it does not declare`);
  const parts = messageParts(declared);
  const severity = findingSeverity(meta, audience.preset, settings.rules[meta.id]?.severity, report.severity, parts.severity);
  if (severity === 'off') return undefined;
  const fixesOf = (specs: ReadonlyArray<FixSpec<string>>): Fix[] =>
    specs.map((fix, index) => {
      const declared = (meta.fixes as Record<string, FixDeclaration> | undefined)?.[fix.fix];
      if (!declared) throw new Error(`rule ${meta.id} offers fix "${fix.fix}" it does not declare`);
      const changes = (audience.kasm ? declared.changesKasm : undefined) ?? declared.changes;
      return {
        id: fix.fix,
        title: formatTemplate(changes ? `${declared.title} — ${changes}` : declared.title, fix.data),
        applicability: declared.applicability,
        preferred: fix.preferred ?? index === 0,
        edits: fix.edits.map((e) => {
          let edit = converted?.get(e);
          if (!edit) {
            edit = { file: e.file.path, range: e.file.lines.range(e.start, e.end), newText: e.newText };
            converted?.set(e, edit);
          }
          return edit;
        }),
      };
    });
  const why = (audience.kasm ? parts.whyKasm : undefined) ?? parts.why;
  const detail = why === undefined ? undefined : formatTemplate(why, report.data);
  const message = formatTemplate(parts.text, report.data);
  const range = report.file.lines.range(report.start, report.end);
  const related = (report.related ?? []).map((r) => ({ file: r.file.path, range: r.file.lines.range(r.start, r.end), message: r.message }));
  const compute = report.fixes;
  if (typeof compute === 'function') return new FindingWithLazyFixes(meta.id, severity, message, detail, report.file.path, range, () => fixesOf(compute()), related);
  const fixes = fixesOf(compute ?? []);
  return detail === undefined
    ? { rule: meta.id, severity, message, file: report.file.path, range, fixes, related }
    : { rule: meta.id, severity, message, detail, file: report.file.path, range, fixes, related };
}

/**
 * A finding whose `fixes` are computed on first reading, then kept. `fixes` is an own enumerable
 * accessor (JSON, spreads and deep comparisons read it like a value), defined on every instance with one
 * shared descriptor: an accessor written in an object literal, as before, gave each finding a layout of
 * its own, four times slower to make and to read in a micro-benchmark (the Kasm tree makes 138 findings
 * per keystroke, a 10,000-line file 2,000).
 */
class FindingWithLazyFixes implements Finding {
  static readonly #fixesProperty: PropertyDescriptor = {
    get(this: FindingWithLazyFixes) {
      return (this.#fixes ??= this.#compute(this));
    },
    set(this: FindingWithLazyFixes, value: Fix[]) {
      this.#fixes = value;
    },
    enumerable: true,
    configurable: true,
  };

  #compute: (finding: Finding) => Fix[];
  #fixes: Fix[] | undefined = undefined;
  // declared, not defined: the properties come in the order of a plain finding, `detail` only when there is one
  declare rule: string;
  declare severity: Finding['severity'];
  declare message: string;
  declare detail?: string;
  declare file: string;
  declare range: Finding['range'];
  declare fixes: Fix[];
  declare related: Finding['related'];

  constructor(rule: string, severity: Finding['severity'], message: string, detail: string | undefined, file: string, range: Finding['range'], compute: (finding: Finding) => Fix[], related: Finding['related']) {
    this.rule = rule;
    this.severity = severity;
    this.message = message;
    if (detail !== undefined) this.detail = detail;
    this.file = file;
    this.range = range;
    Object.defineProperty(this, 'fixes', FindingWithLazyFixes.#fixesProperty);
    this.related = related;
    this.#compute = compute;
  }

  /**
   * Has the fixes computed by `compute` from now on, unless they were computed already (then false):
   * a finding an edit did not move is carried to the next analysis as it is, its fixes from that one.
   */
  recompute(compute: (finding: Finding) => Fix[]): boolean {
    if (this.#fixes !== undefined) return false;
    this.#compute = compute;
    return true;
  }
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
