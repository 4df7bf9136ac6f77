package dev.datahub;

import java.util.stream.Collectors;

/**
 * How a front end names a {@link Fix}. {@link #NEUTRAL} is the core's own wording, for callers without a front end
 * (tests, other tools): it names the setting and its value without any build tool's syntax; a configuration element
 * keeps the configuration's own notation, {@code <chart><digest>}.
 */
public interface Wording {

  String name(Fix fix);

  Wording NEUTRAL = new Wording() {
    @Override
    public String name(Fix fix) {
      if (fix instanceof Fix.Property p) {
        return p.value() == null ? p.name() : p.name() + "=" + p.value();
      }
      if (fix instanceof Fix.Element e) {
        return e.path().stream().map(n -> "<" + n + ">").collect(Collectors.joining()); // the configuration's notation
      }
      if (fix instanceof Fix.Credentials c) {
        return "add " + c.what() + " for '" + c.serverId() + "' to the build's credentials";
      }
      Fix.Goal g = (Fix.Goal) fix;
      return "the " + g.name() + " goal" + (g.with().isEmpty() ? ""
          : " with " + g.with().stream().map(this::name).collect(Collectors.joining(" ")));
    }
  };
}
