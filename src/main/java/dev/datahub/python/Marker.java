package dev.datahub.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PEP 508 environment marker such as {@code python_version >= "3.8" and (sys_platform == "linux"
 * or extra == "test")}, parsed once and evaluated against a {@link TargetEnvironment}.
 */
public final class Marker {

  private static final Set<String> VARIABLES = Set.of(
      "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
      "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
      "implementation_version", "extra", "os.name", "sys.platform", "platform.version", "platform.machine",
      "platform.python_implementation", "python_implementation");
  private static final List<String> OPS = List.of("===", "==", "!=", "<=", ">=", "~=", "<", ">");

  private final String text;
  private final Node root;

  private Marker(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /** Parses a marker; throws {@link IllegalArgumentException} naming the problem when malformed. */
  public static Marker parse(String text) {
    Parser p = new Parser(text);
    Node root = p.or();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new IllegalArgumentException("unexpected '" + text.substring(p.pos) + "' in marker: " + text);
    }
    return new Marker(text.trim(), root);
  }

  /** True when the marker holds on {@code env} with {@code extra} set to the given (normalized) extra name, or "". */
  public boolean evaluate(TargetEnvironment env, String extra) {
    return root.eval(env.markerValues(), extra == null ? "" : extra);
  }

  /** True when the marker holds for no extra or for any of {@code extras}. */
  public boolean evaluateAny(TargetEnvironment env, Set<String> extras) {
    if (evaluate(env, "")) {
      return true;
    }
    for (String e : extras) {
      if (evaluate(env, e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  private interface Node {
    boolean eval(Map<String, String> env, String extra);
  }

  private record Value(String literal, String variable) {
    String resolve(Map<String, String> env, String extra) {
      if (variable == null) {
        return literal;
      }
      if (variable.equals("extra")) {
        return extra;
      }
      return env.getOrDefault(canonical(variable), "");
    }

    static String canonical(String v) {
      return switch (v) {
        case "os.name" -> "os_name";
        case "sys.platform" -> "sys_platform";
        case "platform.version" -> "platform_version";
        case "platform.machine" -> "platform_machine";
        case "platform.python_implementation", "python_implementation" -> "platform_python_implementation";
        default -> v;
      };
    }
  }

  private record Comparison(Value left, String op, Value right) implements Node {
    @Override
    public boolean eval(Map<String, String> env, String extra) {
      String l = left.resolve(env, extra);
      String r = right.resolve(env, extra);
      if ("extra".equals(left.variable) || "extra".equals(right.variable)) {
        // Extra names compare normalized (PEP 685).
        l = PackageName.normalize(l);
        r = PackageName.normalize(r);
      }
      switch (op) {
        case "in":
          return r.contains(l);
        case "not in":
          return !r.contains(l);
        default:
          break;
      }
      if (!op.equals("===")) {
        var lv = Pep440Version.tryParse(l);
        if (lv.isPresent() && !r.isEmpty()) {
          try {
            // PEP 508: compare as versions when the right side is a valid specifier for the left.
            return VersionSpecifier.parse(op + r).contains(lv.get());
          } catch (IllegalArgumentException notAVersion) {
            // fall back to string comparison below
          }
        }
      }
      int c = l.compareTo(r);
      return switch (op) {
        case "==", "===" -> c == 0;
        case "!=" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        default -> throw new IllegalArgumentException("operator " + op + " needs versions on both sides");
      };
    }
  }

  private record And(List<Node> parts) implements Node {
    @Override
    public boolean eval(Map<String, String> env, String extra) {
      for (Node n : parts) {
        if (!n.eval(env, extra)) {
          return false;
        }
      }
      return true;
    }
  }

  private record Or(List<Node> parts) implements Node {
    @Override
    public boolean eval(Map<String, String> env, String extra) {
      for (Node n : parts) {
        if (n.eval(env, extra)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    boolean keyword(String k) {
      skipSpace();
      if (s.startsWith(k, pos) && (pos + k.length() == s.length()
          || !Character.isLetterOrDigit(s.charAt(pos + k.length())) && s.charAt(pos + k.length()) != '_')) {
        pos += k.length();
        return true;
      }
      return false;
    }

    Node or() {
      List<Node> parts = new ArrayList<>();
      parts.add(and());
      while (keyword("or")) {
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }

    Node and() {
      List<Node> parts = new ArrayList<>();
      parts.add(atom());
      while (keyword("and")) {
        parts.add(atom());
      }
      return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    Node atom() {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == '(') {
        pos++;
        Node inner = or();
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != ')') {
          throw new IllegalArgumentException("missing ')' in marker: " + s);
        }
        pos++;
        return inner;
      }
      Value left = value();
      String op = operator();
      Value right = value();
      return new Comparison(left, op, right);
    }

    String operator() {
      skipSpace();
      if (keyword("in")) {
        return "in";
      }
      if (keyword("not")) {
        if (!keyword("in")) {
          throw new IllegalArgumentException("expected 'not in' in marker: " + s);
        }
        return "not in";
      }
      for (String op : OPS) {
        if (s.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      throw new IllegalArgumentException("expected a comparison operator at '" + s.substring(pos) + "' in marker: " + s);
    }

    Value value() {
      skipSpace();
      if (pos >= s.length()) {
        throw new IllegalArgumentException("marker ends early: " + s);
      }
      char c = s.charAt(pos);
      if (c == '"' || c == '\'') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed quote in marker: " + s);
        }
        String literal = s.substring(pos + 1, end);
        pos = end + 1;
        return new Value(literal, null);
      }
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (!VARIABLES.contains(name)) {
        throw new IllegalArgumentException("unknown marker variable '" + name + "' in: " + s);
      }
      return new Value(null, name);
    }
  }
}
