// One process of a deployment (a Kubernetes Deployment, a compose service), described the same way
// whatever describes it, so the rules about the application's configuration and topology are
// written once for both.
export interface DeployedProcess {
  name: string;
  /** The environment it starts with: the image's, then its own, stand-ins for what the operator provides. */
  env: Record<string, string>;
  /** The names the deployment itself sets (not the image). */
  sets: string[];
  /** `host:port` where the other processes reach it. */
  addresses: string[];
}

/** What the app answers a GET: its status and (JSON) body. */
export interface ProbeAnswer {
  status: number;
  body: unknown;
}
