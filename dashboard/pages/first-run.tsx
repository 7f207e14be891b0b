import { Page } from '../ui/page.tsx';

/** A fresh server has nobody to sign in as: the first owner is made on the command line, where the server runs. */
export function FirstRun() {
  return (
    <Page title="Welcome to Parley">
      <p>
        This server has no owner yet. Create one on the machine that runs Parley, from the project's folder:
      </p>
      <pre class="code">
        <code>npm run parley -- admin create --email you@example.com</code>
      </pre>
      <p>
        It asks for a password. Then <a href="/admin">reload this page</a> and sign in with that email and
        password.
      </p>
    </Page>
  );
}
