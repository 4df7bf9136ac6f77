package dev.datahub.image;

/**
 * Jib sends credentials over plain HTTP only when the JVM-global system property {@code sendCredentialsOverHttp} is
 * {@code true} when a build starts (it is read once, when Jib builds its HTTP client). Under {@code mvn -T} several
 * modules build in one JVM, so a plain set/restore per build races: one build restores the old value while another is
 * starting (that build then fails with "credentials over HTTP"), or restores {@code true} after everybody is done (the
 * relaxation leaks to the rest of the JVM). So the property is reference-counted: set by the first build that needs
 * it, restored to its previous value (usually unset) by the last one.
 *
 * <p>Static on purpose: the property is JVM-wide. Builds of another plugin version (another class loader) in the same
 * JVM keep their own count; that mix is not supported.
 */
final class CredentialsOverHttp {

  static final String PROPERTY = "sendCredentialsOverHttp";
  private static final Object LOCK = new Object();
  private static int holders;
  private static String saved;

  private CredentialsOverHttp() {}

  static void acquire() {
    synchronized (LOCK) {
      if (holders++ == 0) {
        saved = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, "true");
      }
    }
  }

  static void release() {
    synchronized (LOCK) {
      if (--holders == 0) {
        if (saved == null) {
          System.clearProperty(PROPERTY);
        } else {
          System.setProperty(PROPERTY, saved);
        }
        saved = null;
      }
    }
  }
}
