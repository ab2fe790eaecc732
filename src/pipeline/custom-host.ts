/** The custom_host policy lives in src/policy/custom-host.ts (pure, so save-time checks can use it too). */
export { checkCustomHost, checkUpstreamUrl, customHostPolicy, type CustomHostPolicy } from "../policy/custom-host";
