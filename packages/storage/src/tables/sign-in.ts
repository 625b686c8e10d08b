/** Failed sign-ins per throttle key (migration 0012); `at` in epoch ms. */
export interface SignInFailuresTable {
  key: string;
  at: number;
}
