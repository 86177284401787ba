/** The server's reason for refusing, or why it could not be reached, where the action was. */
export function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}
