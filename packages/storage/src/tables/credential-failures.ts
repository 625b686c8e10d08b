/** Failed credential checks per throttle key (migrations 0012, 0015); `at` in epoch ms. */
export interface CredentialFailuresTable {
  key: string;
  at: number;
}
