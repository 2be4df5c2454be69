using System;

namespace EsUpgrade.Errors;

/// <summary>What went wrong, in the terms a caller maps to an error category.</summary>
public enum EsErrorKind
{
    Connection,
    Certificate,
    Authentication,
    Permission,
    NotFound,
    InvalidArgument,
    Timeout,
    NotElasticsearch,
    Server,
    InvalidState,
    /// <summary>An answer EsUpgrade could not read: not JSON, cut off, or of a shape no Elasticsearch sends.</summary>
    InvalidResult,
}

/// <summary>
/// Every failure the core reports. <see cref="ErrorId"/> is a constant a script can test;
/// the message never carries a secret.
/// </summary>
public class EsException : Exception
{
    public EsException(EsErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    public EsErrorKind Kind { get; }
    public string ErrorId { get; }
    public object? Target { get; }

    /// <summary>The cluster did not answer now but will: a node restarting, a master election, a node too busy (429/502/503, no connection).</summary>
    public bool IsTransient =>
        Kind == EsErrorKind.Connection || (this is EsServerException s && (s.StatusCode == 503 || s.StatusCode == 502 || s.StatusCode == 429));
}

/// <summary>Elasticsearch answered with an error status.</summary>
public sealed class EsServerException : EsException
{
    public EsServerException(int statusCode, string? errorType, string? reason, string method, string path, object? target = null, string? resourceId = null)
        : base(KindOf(statusCode), ErrorIds.EsServerError, Describe(statusCode, errorType, reason, method, path), target)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
        Reason = reason;
        ResourceId = resourceId;
    }

    public int StatusCode { get; }
    /// <summary>Elasticsearch's error type, e.g. <c>index_not_found_exception</c>.</summary>
    public string? ErrorType { get; }
    public string? Reason { get; }
    /// <summary>What the error is about, when Elasticsearch says (<c>resource.id</c> or <c>index</c>): the missing index, say.</summary>
    public string? ResourceId { get; }

    /// <summary>Elasticsearch's answer that an index or alias in the request does not exist.</summary>
    public bool IsIndexNotFound => StatusCode == 404 && ErrorType == "index_not_found_exception";

    static EsErrorKind KindOf(int status) => status switch
    {
        401 => EsErrorKind.Authentication,
        403 => EsErrorKind.Permission,
        404 => EsErrorKind.NotFound,
        408 => EsErrorKind.Timeout,
        >= 400 and < 500 => EsErrorKind.InvalidArgument,
        _ => EsErrorKind.Server,
    };

    static string Describe(int status, string? type, string? reason, string method, string path)
    {
        var what = type is null ? $"HTTP {status}" : $"{type} (HTTP {status})";
        return reason is null ? $"{method} {path} failed: {what}." : $"{method} {path} failed: {what}: {reason}";
    }
}
