package dev.datahub.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** A secret must leave no recognisable piece: not whole, not cut in half, not its start or its end. */
class RedactorTest {

  static final String TOKEN = "9f3c2a7be41d4c0e8a6b5d2f1e0c7a93";

  Redactor redactor() {
    Redactor r = new Redactor();
    r.register(TOKEN);
    return r;
  }

  @Test
  void wholeSecretsAreMasked() {
    assertEquals("token=**** and ****", redactor().redact("token=" + TOKEN + " and " + TOKEN));
  }

  @Test
  void aSecretCutInHalfLeavesNeitherHalf() {
    String first = TOKEN.substring(0, TOKEN.length() / 2);
    String second = TOKEN.substring(TOKEN.length() / 2);
    assertEquals("a=**** b=****", redactor().redact("a=" + first + " b=" + second));
  }

  @Test
  void aLongPrefixCutByATruncationALongSuffixAndALongMiddlePartAreMasked() {
    String cut = "x".repeat(20) + TOKEN.substring(0, 17) + "\n… (output cut)";
    assertEquals("x".repeat(20) + "****\n… (output cut)", redactor().redact(cut));
    assertEquals("…****", redactor().redact("…" + TOKEN.substring(TOKEN.length() - 16)));
    String middle = TOKEN.substring(8, 24);
    assertEquals("[****]", redactor().redact("[" + middle + "]"));
  }

  @Test
  void partsShorterThanHalfASecretStay() {
    // Secret values files hold URLs next to real secrets: short shared pieces must not mask every log line.
    Redactor r = new Redactor();
    r.register("https://hub.example.org/hub/oauth_callback");
    assertEquals("at https://staging.hub.example.org/", r.redact("at https://staging.hub.example.org/"));
    assertEquals("****", r.redact("https://hub.example.org/hub/oauth_callback"));
  }

  @Test
  void shortSecretsAreMaskedWholeOnlyAndOrdinaryTextStays() {
    Redactor r = new Redactor();
    r.register("hunter2x");
    r.register("abc"); // too short to mask without masking words
    assertEquals("pw **** hunter abc", r.redact("pw hunter2x hunter abc"));
    assertEquals("nothing secret here", redactor().redact("nothing secret here"));
  }

  @Test
  void secretsNextToEachOtherBecomeOneMask() {
    Redactor r = redactor();
    r.register("other-secret-value-123");
    assertEquals("<****>", r.redact("<" + TOKEN + "other-secret-value-123>"));
  }

  @Test
  void halvesOfAShortishSecretAreMaskedToo() {
    Redactor r = new Redactor();
    String secret = "pa55w0rd-2026"; // 13 characters: halves of 6 and 7
    r.register(secret);
    assertEquals("**** / ****", r.redact(secret.substring(0, 6) + " / " + secret.substring(6)));
  }
}
