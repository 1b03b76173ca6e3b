using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hypotheses.Support;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 (a free port) for download tests: each path gets a fixed answer, the whole
/// body, a status code, or a full-length header and only part of the body before the connection is closed. It
/// serves one request per connection (connections at once), stops when disposed, and stops by itself after a minute or 200 requests.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    const int MaxRequests = 200;
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new(Lifetime);
    readonly Dictionary<string, Reply> answers = new();
    readonly Task loop;
    int requests;

    abstract record Reply;
    sealed record Body(byte[] Bytes) : Reply;
    sealed record Status(int Code) : Reply;
    sealed record CutOff(byte[] Bytes, int Sent) : Reply;
    sealed record Trickle(byte[] Bytes, TimeSpan Every) : Reply;
    /// <summary>Held until <c>Clients</c> requests for it are in, then sent to each in pieces over about a second.</summary>
    sealed record Together(byte[] Bytes, CountdownEvent Arrived) : Reply;

    public LoopbackServer()
    {
        listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/";
        loop = Task.Run(Serve);
    }

    /// <summary>The server's base URL, ending in a slash.</summary>
    public string Url { get; }

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref requests);

    public void Serve(string path, byte[] bytes) { lock (answers) answers[path] = new Body(bytes); }
    public void Fail(string path, int status) { lock (answers) answers[path] = new Status(status); }
    /// <summary>Announces all of <paramref name="bytes"/>, sends the first <paramref name="sent"/>, then closes the connection.</summary>
    public void CutOffAfter(string path, byte[] bytes, int sent) { lock (answers) answers[path] = new CutOff(bytes, sent); }

    /// <summary>Announces all of <paramref name="bytes"/> and sends them a byte every <paramref name="every"/>: never stalled, never done.</summary>
    public void TrickleOut(string path, byte[] bytes, TimeSpan every) { lock (answers) answers[path] = new Trickle(bytes, every); }

    /// <summary>Answers <paramref name="path"/> only once <paramref name="clients"/> requests for it have arrived (or after
    /// 60 s), then sends each the bytes slowly (ten pieces, 100 ms apart): downloads of one file that surely overlap.</summary>
    public void ServeTogether(string path, byte[] bytes, int clients) { lock (answers) answers[path] = new Together(bytes, new CountdownEvent(clients)); }

    async Task Serve()
    {
        while (!stop.IsCancellationRequested && requests < MaxRequests)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(async () => // connections are answered at once, so that clients can overlap
            {
                using (client)
                {
                    try { await Answer(client.GetStream()); }
                    catch (IOException) { } // the client went away
                }
            });
        }
    }

    async Task Answer(NetworkStream stream)
    {
        string path = (await ReadRequestLine(stream)).Split(' ')[1].TrimStart('/');
        Interlocked.Increment(ref requests);
        Reply? answer;
        lock (answers) answers.TryGetValue(path, out answer);
        switch (answer)
        {
            case Body body:
                await Write(stream, 200, "OK", body.Bytes.Length);
                await stream.WriteAsync(body.Bytes);
                break;
            case CutOff cut:
                await Write(stream, 200, "OK", cut.Bytes.Length);
                await stream.WriteAsync(cut.Bytes.AsMemory(0, cut.Sent));
                break;
            case Trickle trickle:
                await Write(stream, 200, "OK", trickle.Bytes.Length);
                for (int i = 0; i < trickle.Bytes.Length && !stop.IsCancellationRequested; i++)
                {
                    await stream.WriteAsync(trickle.Bytes.AsMemory(i, 1));
                    await Task.Delay(trickle.Every);
                }
                break;
            case Together together:
                if (!together.Arrived.IsSet) together.Arrived.Signal();
                await Task.Run(() => together.Arrived.Wait(TimeSpan.FromSeconds(60)));
                await Write(stream, 200, "OK", together.Bytes.Length);
                int piece = (together.Bytes.Length + 9) / 10;
                for (int start = 0; start < together.Bytes.Length; start += piece)
                {
                    await Task.Delay(100);
                    await stream.WriteAsync(together.Bytes.AsMemory(start, Math.Min(piece, together.Bytes.Length - start)));
                }
                break;
            case Status status:
                await Write(stream, status.Code, "Error", 0);
                break;
            default:
                await Write(stream, 404, "Not Found", 0);
                break;
        }
    }

    static async Task<string> ReadRequestLine(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n"))
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return request.ToString().Split("\r\n")[0];
    }

    static Task Write(NetworkStream stream, int code, string reason, long length) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {code} {reason}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n")).AsTask();

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(5));
        stop.Dispose();
    }
}
