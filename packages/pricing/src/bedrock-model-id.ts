/**
 * Amazon Bedrock model ids, the other forms to look them up by.
 *
 * Bedrock names a model `{vendor}.{model}-v1:0` (`anthropic.claude-sonnet-4-6-v1:0`), a
 * cross-region inference profile `{geo}.{vendor}.{model}` (`us.`, `eu.`, `apac.`, `au.`, `ca.`,
 * `jp.`, `us-gov.` …; `global.` is priced apart), and either by its ARN
 * (`arn:aws:bedrock:…:inference-profile/apac.anthropic.…`, `…:foundation-model/anthropic.…`).
 * genai-prices prices each regional profile of a model at one rate and lists the geographic
 * prefixes it knows, not every one Bedrock has (genai-prices 0.1.8 has no `apac.` for Claude Opus
 * 4.8, no `ca.` for Sonnet 4.6): a geographic profile is also looked up as its `us.` twin. An
 * application inference profile's ARN (`application-inference-profile/abc123`) names no model and
 * stays unpriced (a price override names it).
 */
const GEO_PROFILE = /^(?:us-gov|us|eu|apac|au|ca|jp|in|sa|mx|uk)\.(?=[a-z0-9-]+\.)/;
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[^/]*\/(.+)$/;

/** Further forms of a (lowercased) model id to try after the id itself; none for a non-Bedrock id. */
export function bedrockModelIdForms(id: string): string[] {
  const arn = BEDROCK_ARN.exec(id);
  const resource = arn ? arn[1]! : id;
  const forms = resource === id ? [] : [resource];
  const geo = GEO_PROFILE.exec(resource);
  if (geo && geo[0] !== 'us.') forms.push(`us.${resource.slice(geo[0].length)}`);
  return forms;
}
