package dev.datahub.log;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces known secret values (tokens, registry passwords, secret values) with {@code ****}.
 * Secrets are registered where they are read, so every line leaving through a {@link StepLog},
 * a report or an exception message can be cleaned at that edge.
 */
public final class Redactor {

  public static final String MASK = "****";

  /** Shorter strings would mask ordinary words; such secrets are still never logged on purpose. */
  private static final int MIN_LENGTH = 4;

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  public void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      secrets.add(secret);
    }
  }

  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    // Longest first so a secret that contains another is masked whole.
    List<String> ordered = secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String secret : ordered) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /** A log that redacts every line before passing it on. */
  public StepLog wrap(StepLog delegate) {
    return new StepLog() {
      @Override
      public void info(String line) {
        delegate.info(redact(line));
      }

      @Override
      public void warn(String line) {
        delegate.warn(redact(line));
      }

      @Override
      public void debug(String line) {
        delegate.debug(redact(line));
      }
    };
  }
}
