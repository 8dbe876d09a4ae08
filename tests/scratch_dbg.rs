use newsgraph::rdf::iri::Minter;
use newsgraph::{Article, Pipeline};
#[test]
fn dbg() {
    let ids: Vec<String> = std::env::var("IDS").unwrap().split(',').map(String::from).collect();
    let text = if ids[0] == "seeds" {
        let (inputs, _) = newsgraph::article::collect_inputs(&["../shared/seeds".into()]);
        newsgraph::article::read_all(&inputs).articles.into_iter().map(|a| serde_json::json!({"id": a.id, "title": a.title, "body": a.body}).to_string()).collect::<Vec<_>>().join("\n")
    } else { std::fs::read_to_string("../shared/data/bbc/articles.jsonl").unwrap() };
    let p = Pipeline::new(Minter::default());
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        if !ids.contains(&id) && ids[0] != "seeds" { continue; }
        let a = Article { id: id.clone(), title: v["title"].as_str().map(String::from), body: v["body"].as_str().unwrap().into(), ..Default::default() };
        let d = p.analyse(a);
        println!("== {id}");
        for m in &d.mentions { if let Some(e) = m.entity { print!("[{}|{:?}|{}] ", d.mention_text(m), d.entities[e].kind, d.entities[e].name); } else { print!("[{}|{:?}] ", d.mention_text(m), m.kind); } }
        println!();
        for e in &d.facts.events {
            let parts: Vec<String> = e.participants.iter().map(|&p| d.entities[p].name.clone()).collect();
            println!("  {:?} {:?} {:?} parts {:?} place {:?} time {:?} trig {:?}", e.kind, e.modality, e.label, parts, e.place.map(|p| d.entities[p].name.clone()), e.time.as_ref().map(|t| (&t.text, t.value.map(|v| v.lexical()))), e.triggers.iter().map(|t| &d.text[t.clone()]).collect::<Vec<_>>());
        }
        for p in &d.facts.posts { println!("  POST {} {} {:?}", d.entities[p.holder].name, p.role, p.organization); }
    }
}
