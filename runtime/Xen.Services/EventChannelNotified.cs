namespace Xen.Services;

/// <summary>
/// Runs when the peer notified <paramref name="port"/>. The port stays masked until it returns, so one handler runs at
/// a time per port; a notification that arrives meanwhile runs it once more afterwards.
/// </summary>
public delegate void EventChannelNotified(uint port);
