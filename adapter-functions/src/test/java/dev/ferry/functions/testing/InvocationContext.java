package dev.ferry.functions.testing;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.RetryContext;
import com.microsoft.azure.functions.TraceContext;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The {@link ExecutionContext} the Functions Java worker passes to an invocation: a fresh
 * invocation id, the function's name, a {@code java.util.logging} logger named as the worker names
 * it, and an empty trace context.
 */
public final class InvocationContext implements ExecutionContext {
  private final String functionName;
  private final String invocationId;
  private final Logger logger;

  public InvocationContext(String functionName) {
    this.functionName = functionName;
    this.invocationId = UUID.randomUUID().toString();
    this.logger = Logger.getLogger("Function." + functionName);
  }

  @Override
  public Logger getLogger() {
    return logger;
  }

  @Override
  public String getInvocationId() {
    return invocationId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public TraceContext getTraceContext() {
    return new TraceContext() {
      @Override
      public String getTraceparent() {
        return null;
      }

      @Override
      public String getTracestate() {
        return null;
      }

      @Override
      public Map<String, String> getAttributes() {
        return Map.of();
      }
    };
  }

  @Override
  public RetryContext getRetryContext() {
    return null;
  }
}
