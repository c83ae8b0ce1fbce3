/** The message a promise rejects with; a promise that resolves fails the test that expected the error. */
export async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('it succeeded');
}
