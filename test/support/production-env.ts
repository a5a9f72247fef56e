// A production environment that passes the start-up checks: random-looking secrets, a chosen card
// gateway and protected metrics. Tests that run the app in production mode start from it.
export const SAFE_PRODUCTION_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'q3Zr7wK1uVb9XyTn2LsP0aHd6FgJe8MtCi4Ro5WkQz1Nv',
  SERVICE_TOKEN_SECRET: 'Lp8sD2fG6hJ0kZx4cV7bN1mQw3eR5tY9uIoA2sDfGhJk',
  METRICS_TOKEN: 'Vb6Nm1Qa9Ws3Ed7Rf2Tg5Yh8Uj0Ik4Ol6Pz9Xc2Vb5Nm',
  CARD_GATEWAY: 'simulated',
};
