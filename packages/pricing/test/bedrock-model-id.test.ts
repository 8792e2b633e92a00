import { describe, expect, it } from 'vitest';
import { PriceCatalog } from '../src/index';
import { bedrockModelIdForms } from '../src/bedrock-model-id';

const catalog = new PriceCatalog({ overridesFile: '' });
// One million input tokens: the cost is the catalog's input rate per million.
const usage = { inputTokens: 1_000_000, outputTokens: 0 };

describe('Amazon Bedrock model ids', () => {
  it.each([
    // Ids the catalog matches as they are.
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'regional.anthropic.claude-3-5-haiku-20241022-v1:0', 0.8],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'regional.anthropic.claude-sonnet-4-5-20250929-v1:0', 3.3],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 3],
    ['apac.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0', 0.8],
    ['arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0', 'regional.anthropic.claude-sonnet-4-5-20250929-v1:0', 3.3],
    // Geographic profiles the catalog's rules leave out, priced as their `us.` twin (one regional rate).
    ['apac.anthropic.claude-opus-4-8-v1:0', 'regional.anthropic.claude-opus-4-8-v1:0', 5.5],
    ['ca.anthropic.claude-sonnet-4-6-v1:0', 'regional.anthropic.claude-sonnet-4-6-v1:0', 3.3],
    ['apac.amazon.nova-2-lite-v1:0', 'regional.amazon.nova-2-lite-v1:0', 0.33],
    ['arn:aws:bedrock:ap-southeast-2:123456789012:inference-profile/apac.anthropic.claude-opus-4-8-v1:0', 'regional.anthropic.claude-opus-4-8-v1:0', 5.5],
  ])('aws.bedrock %s → %s at $%s per million input tokens', (model, catalogModel, inputUsd) => {
    const result = catalog.price({ provider: 'aws.bedrock', model, usage });
    expect(result.status).toBe('priced');
    expect([result.catalogProvider, result.catalogModel, result.totalUsd]).toEqual(['aws', catalogModel, inputUsd]);
  });

  it('leaves an application inference profile, which names no model, unpriced', () => {
    const model = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';
    expect(catalog.price({ provider: 'aws.bedrock', model, usage }).status).toBe('unpriced');
  });

  it('adds no form to an id that is not Bedrock’s', () => {
    expect(['gpt-4o', 'claude-haiku-4-5', 'openai/gpt-4o', 'us.gpt'].map(bedrockModelIdForms)).toEqual([[], [], [], []]);
  });
});
