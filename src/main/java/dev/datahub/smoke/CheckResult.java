package dev.datahub.smoke;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The outcome of one check (an import, the image check, a snippet, a notebook).
 *
 * @param name the check's name
 * @param status {@code passed}, {@code failed} or {@code skipped}
 * @param millis wall time of the execution
 * @param error one line ({@code ename: evalue}, or why it was skipped), null when passed
 * @param output what the code printed (stdout, stderr, results), trimmed to a few KB
 * @param kernelMillis how long the kernel itself reported being busy (its busy→idle message dates), -1 when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckResult(String name, String status, long millis, String error, String output, long kernelMillis) {

  public CheckResult(String name, String status, long millis, String error, String output) {
    this(name, status, millis, error, output, -1);
  }

  public static final String PASSED = "passed";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  public boolean passed() {
    return PASSED.equals(status);
  }

  public boolean failed() {
    return FAILED.equals(status);
  }
}
