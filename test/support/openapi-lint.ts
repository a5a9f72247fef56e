// Lints an OpenAPI document with Redocly's recommended rules, as a client team's CI would.
import { createConfig, lintFromString } from '@redocly/openapi-core';

/** Rules of `recommended` turned off on purpose, each with why. */
export const RULES_OFF = {
  // A private API with no licence to name: an invented one would mislead.
  'info-license': 'off',
} as const;

export interface LintProblem {
  severity: string;
  ruleId: string;
  message: string;
  pointer: string | undefined;
}

export async function lintOpenApi(document: object): Promise<LintProblem[]> {
  const config = await createConfig({ extends: ['recommended'], rules: RULES_OFF });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
  return problems.map((problem) => ({
    severity: problem.severity,
    ruleId: problem.ruleId,
    message: problem.message,
    pointer: problem.location[0]?.pointer,
  }));
}
