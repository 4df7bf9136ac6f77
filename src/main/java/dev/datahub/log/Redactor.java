package dev.datahub.log;

import dev.datahub.Wording;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces known secret values (tokens, registry passwords, secret values) with {@code ****}.
 * Secrets are registered where they are read, so every line leaving through a {@link StepLog},
 * a report or an exception message can be cleaned at that edge.
 *
 * <p>Not only whole secrets: a program that prints part of a secret, or text cut somewhere else, must not leave a
 * recognisable piece either. Of a secret of {@value #FRAGMENT_SECRET} characters or more, every run of half its
 * length (at least {@value #MIN_FRAGMENT} characters) that appears in the text is masked: a secret cut in two
 * leaves neither half, nor its long start or end. Shorter secrets are masked whole only; below {@value #MIN_LENGTH}
 * characters they are not masked (they would mask ordinary words). Callers redact before they shorten text.
 *
 * <p>Why half and not less: secret values files also hold values that are not random (a callback URL next to the
 * client secret), and shorter fragments of those ({@code https://}) would mask half of every log.
 */
public final class Redactor {

  public static final String MASK = "****";

  /** Shorter strings would mask ordinary words; such secrets are still never logged on purpose. */
  private static final int MIN_LENGTH = 4;

  /** Secrets at least this long are also masked in part. */
  static final int FRAGMENT_SECRET = 12;

  /** The shortest part of a secret that is masked. */
  static final int MIN_FRAGMENT = 6;

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Every fragment to mask, by length; rebuilt when a secret is registered. */
  private volatile Map<Integer, Set<String>> fragments = Map.of();

  public void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH && secrets.add(secret)) {
      synchronized (this) {
        Map<Integer, Set<String>> rebuilt = new HashMap<>();
        for (String s : secrets) {
          if (s.length() >= FRAGMENT_SECRET) {
            int k = Math.max(MIN_FRAGMENT, s.length() / 2);
            Set<String> set = rebuilt.computeIfAbsent(k, x -> new HashSet<>());
            for (int i = 0; i + k <= s.length(); i++) {
              set.add(s.substring(i, i + k));
            }
          }
        }
        fragments = rebuilt;
      }
    }
  }

  public String redact(String text) {
    if (text == null || secrets.isEmpty() || text.isEmpty()) {
      return text;
    }
    boolean[] masked = new boolean[text.length()];
    boolean any = false;
    for (String secret : secrets) {
      for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
        Arrays.fill(masked, i, i + secret.length(), true);
        any = true;
      }
    }
    for (Map.Entry<Integer, Set<String>> byLength : fragments.entrySet()) {
      int k = byLength.getKey();
      Set<String> set = byLength.getValue();
      for (int i = 0; i + k <= text.length(); i++) {
        if (set.contains(text.substring(i, i + k))) {
          Arrays.fill(masked, i, i + k, true);
          any = true;
        }
      }
    }
    if (!any) {
      return text;
    }
    // Each run of masked characters (a secret, parts of secrets next to each other) becomes one mask.
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (!masked[i]) {
        out.append(text.charAt(i));
      } else if (i == 0 || !masked[i - 1]) {
        out.append(MASK);
      }
    }
    return out.toString();
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

      @Override
      public Wording wording() {
        return delegate.wording();
      }
    };
  }
}
