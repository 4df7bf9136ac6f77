package dev.datahub.smoke;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import dev.datahub.DataHubException;

/**
 * One code snippet run in the user's kernel, the way a person would type it into a notebook.
 *
 * @param name shown in reports (a JUnit test case name)
 * @param code Python code
 * @param expect a pattern the combined output (stdout, stderr, results) must contain ({@code find}), or null
 */
public record SmokeCheck(String name, String code, Pattern expect) {

  public SmokeCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(code, "code");
  }

  /** A check from configuration text; an invalid pattern names the check and the fix. */
  public static SmokeCheck of(String name, String code, String expect) {
    if (code == null || code.isBlank()) {
      throw new DataHubException("smoke-test check '" + name + "' has no <code> — add the Python code to run");
    }
    String checkName = name == null || name.isBlank() ? firstLine(code) : name.strip();
    Pattern pattern = null;
    if (expect != null && !expect.isEmpty()) {
      try {
        pattern = Pattern.compile(expect, Pattern.MULTILINE);
      } catch (PatternSyntaxException e) {
        throw new DataHubException("smoke-test check '" + checkName + "': <expect> is not a valid regular expression ("
            + e.getDescription() + " near index " + e.getIndex() + ") — fix the pattern or quote it with \\Q…\\E");
      }
    }
    return new SmokeCheck(checkName, code, pattern);
  }

  /** The check that a module imports: a failing import reports {@code ModuleNotFoundError: No module named 'x'}. */
  public static SmokeCheck importOf(String module) {
    if (module == null || !module.strip().matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new DataHubException("smoke-test import '" + module + "' is not a Python module name — use e.g. numpy or sklearn.linear_model");
    }
    String m = module.strip();
    return new SmokeCheck("import " + m, "import " + m, null);
  }

  private static String firstLine(String code) {
    String line = code.strip().lines().findFirst().orElse("check");
    return line.length() > 60 ? line.substring(0, 57) + "..." : line;
  }
}
