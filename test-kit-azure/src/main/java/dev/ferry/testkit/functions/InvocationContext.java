package dev.ferry.testkit.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.RetryContext;
import com.microsoft.azure.functions.TraceContext;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The {@link ExecutionContext} the Functions Java worker passes to an invocation: a fresh
 * invocation id, the function's name, a {@code java.util.logging} logger named as the worker names
 * it, and the trace context of the host's invocation span (empty unless one is given).
 */
public final class InvocationContext implements ExecutionContext {
  private final String functionName;
  private final String invocationId;
  private final Logger logger;
  private final String traceparent;
  private final String tracestate;

  public InvocationContext(String functionName) {
    this(functionName, null, null);
  }

  /** An invocation the host runs under the span {@code traceparent}. */
  public InvocationContext(String functionName, String traceparent, String tracestate) {
    this.traceparent = traceparent;
    this.tracestate = tracestate;
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
        return traceparent;
      }

      @Override
      public String getTracestate() {
        return tracestate;
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
