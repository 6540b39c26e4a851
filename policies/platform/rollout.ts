/**
 * How a canary shows in the rendered resources, shared by the program (components/rollout/) and the policy pack
 * (policies/rollout/): dependency-free, like the rest of policies/platform/.
 */

/** Suffix of the canary side's Kubernetes Deployment, HPA and Service. */
export const CANARY_SUFFIX = "-canary";
/** Tag of the canary revision's Cloud Run traffic target (its URL is https://canary---<service host>). */
export const CANARY_TAG = "canary";
/** Annotation on the canary Deployment: the percent of requests the stack asked for (pods only approximate it). */
export const CANARY_PERCENT_ANNOTATION = "model-serving/canary-percent";
