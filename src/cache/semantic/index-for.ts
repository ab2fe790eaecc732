import { KvSemanticIndex } from "./kv-index";
import type { SemanticIndex } from "./types";
import { VectorizeSemanticIndex, type VectorizeBinding } from "./vectorize-index";

/** A Vectorize binding is optional (none in wrangler.toml): an operator adds it under this name. */
export type SemanticIndexEnv = Pick<Env, "CACHE"> & { SEMANTIC_INDEX?: VectorizeBinding };

/** Where semantic vectors live: a Vectorize index when SEMANTIC_INDEX is bound, else buckets in the CACHE KV namespace. */
export function semanticIndexFor(env: SemanticIndexEnv): SemanticIndex {
  return env.SEMANTIC_INDEX ? new VectorizeSemanticIndex(env.SEMANTIC_INDEX) : new KvSemanticIndex(env.CACHE);
}
