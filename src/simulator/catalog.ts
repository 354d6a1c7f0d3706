/**
 * Fixture tables the seeded data set draws from: models and their prices, realistic leaf
 * errors, and the texts projects talk about. Kept as data so the generator stays a loop.
 */

export interface ModelSpec {
  /** Run name as LangChain records it. */
  runName: "ChatOpenAI" | "ChatAnthropic";
  provider: "openai" | "anthropic";
  model: string;
  /** USD per million tokens. */
  inputPerMillion: number;
  outputPerMillion: number;
  priceModelId: string;
  latencyMs: readonly [number, number];
  manifestId: readonly string[];
}

export const MODELS = {
  gpt4o: {
    runName: "ChatOpenAI",
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: 2.5,
    outputPerMillion: 10,
    priceModelId: "2a3c1f0e-6b5d-4e7a-9c8b-1d2e3f4a5b6c",
    latencyMs: [450, 5200],
    manifestId: ["langchain", "chat_models", "openai", "ChatOpenAI"],
  },
  claude: {
    runName: "ChatAnthropic",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    inputPerMillion: 3,
    outputPerMillion: 15,
    priceModelId: "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b",
    latencyMs: [700, 7400],
    manifestId: ["langchain", "chat_models", "anthropic", "ChatAnthropic"],
  },
} as const satisfies Record<string, ModelSpec>;

export const EMBEDDING_MODEL = {
  runName: "OpenAIEmbeddings",
  model: "text-embedding-3-small",
  inputPerMillion: 0.02,
} as const;

/** What a failing leaf raises, by the kind of leaf. The message propagates to every ancestor. */
export const LEAF_ERRORS = {
  openai: [
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization " +
      "org-Hx3kQ9cV2mLpT7wR on tokens per min (TPM): Limit 30000, Used 29873, Requested 1230. Please try again in 2.206s. Visit " +
      "https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', 'param': None, 'code': " +
      "'rate_limit_exceeded'}}",
    "openai.APIConnectionError: Connection error.",
    "context deadline exceeded",
  ],
  anthropic: [
    "anthropic.APITimeoutError: Request timed out.",
    "anthropic.InternalServerError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', 'message': 'Overloaded'}}",
  ],
  search_orders: ["httpx.ConnectError: [Errno 111] Connection refused", "context deadline exceeded"],
  lookup_customer: ["KeyError: 'order_id'", "httpx.ConnectError: [Errno 111] Connection refused"],
  refund_payment: [
    "pydantic_core._pydantic_core.ValidationError: 1 validation error for RefundRequest\namount\n  Input should be greater than 0 " +
      "[type=greater_than, input_value=-12.5, input_type=float]\n    For further information visit " +
      "https://errors.pydantic.dev/2.9/v/greater_than",
    "KeyError: 'order_id'",
  ],
  retriever: ["httpx.ConnectError: [Errno 111] Connection refused", "context deadline exceeded"],
  parser: [
    "langchain_core.exceptions.OutputParserException: Invalid json output: I'm sorry, I can't help with that.\nFor troubleshooting, " +
      "visit: https://python.langchain.com/docs/troubleshooting/errors/OUTPUT_PARSING_FAILURE ",
  ],
} as const satisfies Record<string, readonly string[]>;

export type LeafErrorKind = keyof typeof LEAF_ERRORS;

export const TEXTS = {
  checkoutQuestions: [
    "I want to return order #{n}, the shoes are too small",
    "Where is my order ord_{n}? It was supposed to arrive yesterday",
    "Please refund the duplicate charge on order {n}",
    "Can I change the shipping address for ord_{n}?",
    "Apply my loyalty discount to the order I just placed ({n})",
    "Why was my card declined for order {n}?",
  ],
  checkoutAnswers: [
    "I've started a return for order #{n}. You'll receive a prepaid label by email within the hour.",
    "Order ord_{n} is out for delivery and should arrive today before 8 pm.",
    "I found the duplicate charge on order {n} and issued a refund of $42.90; it appears in 3-5 business days.",
    "The shipping address for ord_{n} is updated. The carrier will reroute the parcel.",
  ],
  supportQuestions: [
    "My password reset email never arrived",
    "How do I export my invoices as CSV?",
    "The desktop app crashes when I upload a PDF larger than 20 MB",
    "Can I add a second admin to my team workspace?",
    "Why was I charged twice this month?",
    "How do I enable SSO with Okta?",
    "Thanks, that worked. One more thing: can I change the billing email?",
  ],
  supportAnswers: [
    "I've re-sent the reset link to the address on file. Please check your spam folder too; it comes from no-reply@acme.io.",
    "Go to Billing → Invoices, select the date range and click Export → CSV.",
    "This is a known issue in 5.2.1 for PDFs over 20 MB; version 5.2.2 fixes it. Could you update and try again?",
    "Yes: Settings → Members → Invite, then pick the Admin role.",
    "I see two authorizations; the second was released and will disappear from your statement within 48 hours.",
  ],
  ragQuestions: [
    "What is our parental leave policy?",
    "How do I rotate the staging database credentials?",
    "Summarize the Q3 incident postmortem for the payments outage",
    "Which regions does EU data residency cover?",
    "What is the SLA for priority-1 support tickets?",
    "How many vacation days do new hires get?",
  ],
  ragAnswers: [
    "Employees get 16 weeks of fully paid parental leave, usable within 12 months of the birth or adoption [handbook/benefits.md].",
    "Run `vault rotate db/staging` from the ops bastion, then restart the api pods; the runbook lists the checks " +
      "[runbooks/db-credentials.md].",
    "On Sept 14 a misconfigured connection pool exhausted payment-service connections for 47 minutes; 3.1% of checkouts " +
      "failed [postmortems/2024-09-payments.md].",
    "EU data residency covers eu-west-1 (Ireland) and eu-central-1 (Frankfurt) [legal/data-residency.md].",
  ],
  ragSources: [
    "handbook/benefits.md",
    "runbooks/db-credentials.md",
    "postmortems/2024-09-payments.md",
    "legal/data-residency.md",
    "support/sla.md",
    "handbook/time-off.md",
  ],
  evalInputs: [
    "Translate 'good morning' to French",
    "What is 17 * 23?",
    "Name the capital of Australia",
    "Classify the sentiment: 'The update broke everything again.'",
    "Extract the date from: 'Invoice issued on 2024-03-02'",
  ],
  evalOutputs: ["Bonjour", "391", "Canberra", "negative", "2024-03-02"],
  systemPrompts: {
    checkout:
      "You are Acme's checkout assistant. Use the tools to look up orders and issue refunds. Never refund more than the order total.",
    support: "You are a friendly support agent for Acme Cloud. Answer concisely and cite the help-center article when relevant.",
    rag:
      "Answer the question using only the context below. Cite sources in square brackets. If the answer is not in the context, " +
      "say so.\n\nContext:\n{context}",
    eval: "Answer with a single word or number.",
  },
} as const;

/** `extra.runtime` as the Python SDK records it; one object shared by every run. */
export const PYTHON_RUNTIME = {
  sdk: "langsmith-py",
  sdk_version: "0.3.45",
  library: "langchain-core",
  library_version: "0.3.63",
  platform: "Linux-6.1.0-28-cloud-amd64-x86_64-with-glibc2.36",
  runtime: "python",
  py_implementation: "CPython",
  runtime_version: "3.11.9",
  langchain_version: "0.3.25",
  langchain_core_version: "0.3.63",
} as const;
