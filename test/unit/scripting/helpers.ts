import { AppError } from '../../../src/errors';

/** The AppError a rejected evaluation produced (fails the test if it resolved or threw something else). */
export async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the evaluation to fail');
}
