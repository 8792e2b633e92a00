import { describe, expect, it } from 'vitest';
import { MAX_ERROR_MESSAGE_LENGTH, spanErrorMessage } from '../src/index';

describe('spanErrorMessage', () => {
  it.each([
    [
      '401 Incorrect API key provided: sk-proj-abc123DEF456ghi789. You can find your API key at https://platform.openai.com/account/api-keys.',
      '401 Incorrect API key provided: [REDACTED]. You can find your API key at https://platform.openai.com/account/api-keys.',
    ],
    ['invalid x-api-key: sk-ant-api03-AbCdEf_123-456', 'invalid x-api-key: [REDACTED]'],
    ['key sk-abc1****wxyz rejected', 'key [REDACTED] rejected'],
    ['proxy said: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'proxy said: Authorization: Bearer [REDACTED]'],
    ['GET /v1/models?api_key=s3cr3t&x=1 failed', 'GET /v1/models?api_key=[REDACTED]&x=1 failed'],
    ['{"password": "hunter2"}', '{"password": "[REDACTED]"}'],
    ['signature 0123456789abcdef0123456789abcdef0123 invalid', 'signature [REDACTED] invalid'],
    ['token dGhpcyBpcyBhIHZlcnkgbG9uZyBzZWNyZXQgdmFsdWUgaW4gYmFzZTY0IQ== bad', 'token [REDACTED] bad'],
    ['429 Rate limit reached for gpt-4o-mini in organization org-123 on requests per min', '429 Rate limit reached for gpt-4o-mini in organization org-123 on requests per min'],
  ])('redacts key-like tokens: %s', (message, expected) => {
    expect(spanErrorMessage(message)).toBe(expected);
  });

  it('caps the length, so a 400 echoing the prompt does not carry it whole', () => {
    const out = spanErrorMessage(`400 messages[0].content: ${'my private prompt '.repeat(100)}`);
    expect(out).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(out.endsWith('…')).toBe(true);
  });
});
