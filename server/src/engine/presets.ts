// Presets, as ESLint has `recommended` and `strict`: the severity of every rule for one kind of
// configuration. Each rule declares its own severities (RuleMeta.defaultSeverity is kasm-default's,
// RuleMeta.presets the others', a message may declare its own); this file only names the presets and
// resolves a finding's severity from those declarations, in the one order every output shares.

import type { Severity } from './findings';

export const PRESETS = ['kasm-default', 'kasm-hardened', 'nginx-recommended'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_DESCRIPTIONS: Record<Preset, string> = {
  'kasm-default':
    "What Kasm ships is fine: what nginx refuses and real weaknesses are errors and warnings; the hardening guide's optional steps are hints and information. Chosen for a Kasm tree.",
  'kasm-hardened': "Kasm's hardening guide is the bar: each of its steps that is not done is a warning. A tree that follows the whole guide has none of those left.",
  'nginx-recommended':
    'Any nginx configuration: loud about what nginx refuses, weak TLS, CORS and headers nginx drops; quiet about per-location headers that depend on the application. Chosen for every configuration that is not a Kasm tree.',
};

/** A severity per preset; a preset it does not name keeps the severity it falls back to. */
export type SeverityByPreset = Partial<Record<Preset, Severity | 'off'>>;

/** The preset a configuration gets when the settings name none. */
export function automaticPreset(kasm: boolean): Preset {
  return kasm ? 'kasm-default' : 'nginx-recommended';
}

/** What a rule declares about its severities (RuleMeta's fields). */
export interface SeverityDeclaration {
  defaultSeverity: Severity;
  presets?: SeverityByPreset;
}

/** A rule's severity under a preset: its own for that preset, else its default (kasm-default's). */
export function presetSeverity(meta: SeverityDeclaration, preset: Preset): Severity | 'off' {
  return meta.presets?.[preset] ?? meta.defaultSeverity;
}

/** A message's declared severity: one for every preset, or some presets' own. */
export type MessageSeverity = Severity | SeverityByPreset;

/**
 * The severity of one finding, in this order: the user's setting for the rule; the rule turned off by
 * the preset; a severity the report computed (weak-cipher's worst suite); the message's own for the
 * preset; the rule's for the preset.
 */
export function findingSeverity(
  meta: SeverityDeclaration,
  preset: Preset,
  configured: Severity | 'off' | undefined,
  reported: Severity | undefined,
  message: MessageSeverity | undefined,
): Severity | 'off' {
  if (configured) return configured;
  const rule = presetSeverity(meta, preset);
  if (rule === 'off') return 'off';
  if (reported) return reported;
  if (typeof message === 'string') return message;
  return message?.[preset] ?? rule;
}
