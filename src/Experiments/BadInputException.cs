namespace Experiments;

/// <summary>Input the tool cannot use: a bad option value or a malformed data file. The message names which, and what was expected.</summary>
public class BadInputException(string message, Exception? inner = null) : Exception(message, inner);
