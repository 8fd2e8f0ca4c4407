package herald.platform.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The configuration key of a record component whose key is not simply its name in snake_case
 * (usually a {@link java.time.Duration} whose key carries its unit: {@code staleSending} is {@code
 * stale_sending_seconds}). The configuration test maps every component to its key by this rule.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConfigKey {
  /** The key's last segment, e.g. {@code period_seconds}. */
  String value();
}
