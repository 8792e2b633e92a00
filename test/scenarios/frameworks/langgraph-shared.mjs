// Helpers for the LangGraph scenarios: an app's two-node graph (research, then write), each node
// calling the model through LangChain's ChatOpenAI pointed at fake-llm. Nothing here is costtrace code.

/** ChatOpenAI on fake-llm with the scenario's routing header; LangChain's own retry defaults unless overridden. */
export function chatModel(ctx, extra = {}) {
  const { ChatOpenAI } = ctx.sdks['@langchain/openai'];
  return new ChatOpenAI({
    model: 'gpt-4.1-mini',
    apiKey: 'sk-test-secret',
    // The openai client's own retries off: LangChain retries through its AsyncCaller.
    configuration: { baseURL: `${ctx.fakeUrl}/v1`, defaultHeaders: ctx.headers, maxRetries: 0 },
    ...extra,
  });
}

/** research → write, each node one model call; `nodes` may replace a node's body. */
export function twoNodeGraph(ctx, { model = chatModel(ctx), nodes = {} } = {}) {
  const { StateGraph, Annotation, START, END } = ctx.sdks['@langchain/langgraph'];
  const State = Annotation.Root({
    topic: Annotation(),
    notes: Annotation(),
    draft: Annotation(),
  });
  const research = async (state) => {
    const reply = await model.invoke([{ role: 'user', content: `Research ${state.topic}.` }]);
    return { notes: reply.content };
  };
  const write = async (state) => {
    const reply = await model.invoke([{ role: 'user', content: `Write about ${state.topic} from: ${state.notes}` }]);
    return { draft: reply.content };
  };
  return new StateGraph(State)
    .addNode('research', nodes.research ?? research)
    .addNode('write', nodes.write ?? write)
    .addEdge(START, 'research')
    .addEdge('research', 'write')
    .addEdge('write', END)
    .compile();
}

/** What the app sees of an error: its class, and the budget error behind it, found as a user would. */
export function describeGraphError(err) {
  let budget;
  for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
    if (e[Symbol.for('costtrace.BudgetExceededError')] === true) {
      budget = { name: e.name, action: e.action, scope: e.scope?.name, depth };
      break;
    }
  }
  return { ctor: err?.constructor?.name, name: err?.name, budget };
}
