// The @google/genai client the app builds, pointed at fake-llm (the SDK adds `/v1beta/models/…`).
export function genaiClient({ sdks, fakeUrl, headers }) {
  const { GoogleGenAI } = sdks['@google/genai'];
  return new GoogleGenAI({ apiKey: 'test-gemini-key', httpOptions: { baseUrl: fakeUrl, headers } });
}
