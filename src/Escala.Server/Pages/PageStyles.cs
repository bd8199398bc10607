namespace Escala.Server.Pages;

/// <summary>
/// The one style sheet of every page (reports, status, model cards, dashboard), inlined so a saved report stays
/// readable offline. Meaning never rests on colour alone: verdicts and states are also written out in words.
/// </summary>
public static class PageStyles
{
    /// <summary>The CSS.</summary>
    public const string Css = """
        :root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0b5cad;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700}
        *{box-sizing:border-box}
        body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff;margin:0}
        main{max-width:74rem;margin:0 auto;padding:1.25rem 1rem 3rem}
        h1{font-size:1.45rem;margin:.3rem 0 .9rem}h2{font-size:1.08rem;margin:1.6rem 0 .5rem}h3{font-size:.98rem;margin:1.1rem 0 .4rem}
        table{border-collapse:collapse;font-size:.9rem;margin:.3rem 0 1rem}
        th,td{border-bottom:1px solid var(--line);padding:.3rem .65rem;text-align:left;vertical-align:top}
        thead th,tr.head th{background:var(--soft);font-weight:600}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        table.stats td{text-align:right;font-variant-numeric:tabular-nums}table.stats td:first-child,table.stats th{text-align:left}
        .facts th{background:none;color:var(--muted);font-weight:normal;padding-left:0}
        .drifted,.bad{color:var(--bad);font-weight:600}.stable,.ok{color:var(--ok)}.insufficient,.muted{color:var(--muted)}.warn{color:var(--warn);font-weight:600}
        .big{font-size:1.6rem;font-weight:600;margin:.2rem 0 1rem}
        code,pre{background:var(--soft);border-radius:4px;font-size:.88em}code{padding:0 .2em}pre{padding:.6rem .8rem;overflow:auto}
        a{color:var(--accent)}a:hover{text-decoration-thickness:2px}
        a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #0969da;outline-offset:2px}
        section{margin:1.4rem 0}svg{max-width:100%;height:auto}
        .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:2}
        header.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1.5rem;padding:.55rem 1rem;background:#13233a;color:#fff}
        header.bar a{color:#dbe7f5;text-decoration:none;padding:.2rem .1rem;border-bottom:2px solid transparent}
        header.bar a:hover{color:#fff}header.bar a[aria-current=page]{color:#fff;border-bottom-color:#f0a35e;font-weight:600}
        header.bar .brand{font-weight:700;letter-spacing:.02em;color:#fff}header.bar nav ul{display:flex;flex-wrap:wrap;gap:1.1rem;list-style:none;margin:0;padding:0}
        header.bar .who{margin-left:auto;display:flex;gap:.8rem;align-items:center;font-size:.88rem;color:#c2d0e0}
        header.bar button{background:none;border:1px solid #6f86a3;color:#fff;border-radius:5px;padding:.15rem .6rem;cursor:pointer;font:inherit}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.8rem;margin:.4rem 0 1rem}
        .card{border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem}.card h3{margin:0 0 .3rem}
        .card dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;margin:0;font-size:.9rem}.card dt{color:var(--muted)}.card dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
        .empty{border:1px dashed var(--line);border-radius:8px;padding:.8rem 1rem;color:var(--muted);background:var(--soft)}
        .empty code{background:#fff}
        .badge{display:inline-block;border:1px solid currentColor;border-radius:999px;padding:0 .5rem;font-size:.8rem;line-height:1.5}
        form.inline{display:inline}form.stack{display:grid;gap:.5rem;max-width:26rem}
        button.act,input[type=submit]{background:var(--accent);color:#fff;border:0;border-radius:6px;padding:.35rem .85rem;font:inherit;cursor:pointer}
        button.act.danger{background:var(--bad)}button.act.quiet{background:#fff;color:var(--fg);border:1px solid var(--line)}
        input[type=text],input[type=password],select{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:6px}
        .notice{border-left:4px solid var(--accent);background:#eef5fc;padding:.5rem .8rem;margin:.5rem 0 1rem}
        .notice.error{border-color:var(--bad);background:#fdf0f0}
        .filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:.3rem 0 1rem}.filters label{display:grid;font-size:.85rem;color:var(--muted)}
        .meter{display:inline-block;width:6rem;height:.55rem;border:1px solid var(--line);border-radius:3px;vertical-align:middle;background:var(--soft)}
        .meter>span{display:block;height:100%;background:var(--accent)}
        article.card-md{border-top:1px solid var(--line);margin-top:1rem}
        """;
}
