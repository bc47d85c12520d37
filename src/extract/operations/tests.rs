use super::*;
use crate::analysis::Analyzer;
use crate::corpus::passages;

/// The operations of an invented article, read as the indexer reads it.
fn operations(text: &str) -> Vec<Operation> {
    let extractor = Extractor::new(Analyzer::default());
    let words = Analyzer::default().words(text);
    let passages = passages::split(text);
    let (facets, mentions) = extractor.extract_mentions(text, &words, &passages);
    let about = extractor.article_scope(None, &facets, &Facets::default());
    extractor.operations(text, &words, &passages, &facets, &about, &mentions)
}

fn products(op: &Operation) -> Vec<(&str, u64)> {
    op.by_product
        .iter()
        .map(|(p, n)| (p.as_str(), *n))
        .collect()
}

#[test]
fn a_list_under_town_headings_gives_one_operation_per_town() {
    let text = "Nos chantiers en cours\n\nLe bailleur poursuit ses projets dans l'Oise.\n\n\
        BEAUVAIS Rue des Jacobins\nConstruction d'une résidence de 24 logements collectifs.\n\n \
        8 PLAI 12 PLUS 4 PSLA\n1 520 m²\n\n Livraison : 2024\n\n\
        NOYON Place Bertrand Labarre\nRéhabilitation thermique d'un immeuble des années 60.\n\n \
        36 PLUS\n2 410 m²\n\n Démarrage travaux : mars 2023";
    let ops = operations(text);
    assert_eq!(ops.len(), 2, "{ops:#?}");
    let beauvais = &ops[0];
    assert_eq!(beauvais.commune.as_ref().unwrap().insee, "60057");
    assert_eq!(beauvais.site.as_deref(), Some("Rue des Jacobins"));
    assert_eq!(beauvais.kind, Kind::Construction);
    assert_eq!(beauvais.dwellings, Some(24));
    assert!(!beauvais.dwellings_derived && !beauvais.products_differ);
    assert_eq!(products(beauvais), [("PLAI", 8), ("PLUS", 12), ("PSLA", 4)]);
    assert_eq!(beauvais.surface_m2, Some(1520));
    let livraison = beauvais.milestone.as_ref().unwrap();
    assert_eq!(
        (livraison.kind, livraison.year),
        (MilestoneKind::Livraison, Some(2024))
    );
    let noyon = &ops[1];
    assert_eq!(noyon.commune.as_ref().unwrap().name, "Noyon");
    assert_eq!(noyon.kind, Kind::Rehabilitation);
    assert_eq!(noyon.dwellings, Some(36));
    assert!(
        noyon.dwellings_derived,
        "36 PLUS states no total of its own"
    );
    let start = noyon.milestone.as_ref().unwrap();
    assert_eq!(
        (start.kind, start.year, start.month),
        (MilestoneKind::Demarrage, Some(2023), Some(3))
    );
    // Every figure points into the text at what it read.
    let passages = passages::split(text);
    let figures: Vec<&str> = noyon
        .figures
        .iter()
        .map(|f| &passages[f.passage as usize].text(text)[f.start..f.end])
        .collect();
    assert!(
        figures.contains(&"36 PLUS") && figures.contains(&"2 410 m²"),
        "{figures:?}"
    );
}

#[test]
fn prose_with_parts_a_cost_and_a_dated_milestone() {
    let text = "Amiens : 45 logements pour le quartier Saint-Leu\n\n\
        Le bailleur a lancé la construction de 45 logements, dont 12 PLAI et 20 PLUS, \
        rue Jules Barni à Amiens. Le coût de l'opération s'élève à 6,2 millions d'euros. \
        La livraison est prévue en septembre 2025.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let op = &ops[0];
    assert_eq!(op.commune.as_ref().unwrap().insee, "80021");
    assert_eq!(op.dwellings, Some(45));
    assert_eq!(products(op), [("PLAI", 12), ("PLUS", 20)]);
    assert!(op.products_differ, "12 + 20 is not 45: both kept, and said");
    assert_eq!(op.cost_eur, Some(6_200_000));
    let m = op.milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Livraison, Some(2025), Some(9))
    );
    // The street is the site, before the quartier of the title.
    assert_eq!(op.site.as_deref(), Some("rue Jules Barni"));
}

#[test]
fn parts_side_by_side_give_a_derived_total() {
    let text = "Résidence du Parc à Compiègne\n\nÀ Compiègne, 31 logements collectifs locatifs \
        et 8 maisons individuelles en location-accession sont en cours de construction.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    assert_eq!(ops[0].dwellings, Some(39));
    assert!(ops[0].dwellings_derived);
    assert_eq!(products(&ops[0]), [("PSLA", 8)]);
}

#[test]
fn counts_written_out_are_read() {
    let text = "À Senlis, l'office a inauguré un ensemble de trente logements avenue de Creil en mai 2022.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    assert_eq!(ops[0].dwellings, Some(30));
    let m = ops[0].milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Inauguration, Some(2022), Some(5))
    );
}

#[test]
fn stocks_targets_and_national_totals_are_no_operation() {
    for text in [
        "Implanté à Lille, le bailleur gère ses 12 400 logements et rénove son parc.",
        "À Rouen, l'objectif est de construire 500 logements neufs par an d'ici 2030.",
        "En France, 95 000 logements sociaux ont été financés en 2023, annonce le ministère.",
        "À Metz, l'office construit près de 40 logements chaque année.",
        "Le groupe loge plus de 88.000 personnes dans 45.795 logements à Reims.",
    ] {
        assert_eq!(operations(text), [], "{text}");
    }
}

#[test]
fn a_section_over_two_paragraphs_is_one_operation() {
    let text = "Résidence des Tilleuls à Soissons\n\n\
        Le programme comprend 16 logements locatifs (8 logements PLS et 8 logements PSLA) \
        rue de Panleu.\n\n\
        Les travaux ont commencé en février 2021. Le montant total s'élève à 3,1 M€.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let op = &ops[0];
    assert_eq!(op.dwellings, Some(16));
    assert_eq!(products(op), [("PLS", 8), ("PSLA", 8)]);
    assert!(!op.products_differ);
    assert_eq!(op.cost_eur, Some(3_100_000));
    let m = op.milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Demarrage, Some(2021), Some(2))
    );
    assert_eq!(op.passages.len(), 2, "{:?}", op.passages);
}

#[test]
fn a_label_the_product_file_lacks_is_kept_as_written() {
    let text =
        "CAMBRAI Rue de Douai\nCréation de 20 logements.\n\n 6 PLS 14 LU\n\n Livraison : 2026";
    let ops = operations(text);
    assert_eq!(products(&ops[0]), [("PLS", 6), ("LU", 14)]);
    assert_eq!(ops[0].dwellings, Some(20));
}

#[test]
fn one_article_several_operations_each_with_its_own_details() {
    let text = "Renouvellement urbain à Denain\n\n\
        Première étape : la démolition de la tour Bellevue, soit 96 logements, confiée à une \
        entreprise de Valenciennes, démarrera en mai 2024.\n\n\
        Sur les 96 logements démolis, 60 seront reconstitués ailleurs. À Douchy-les-Mines, \
        un premier programme de 24 logements, dont 14 PLUS et 10 PLAI, sera livré fin 2025.\n\n\
        Dans le même temps, la réhabilitation de la résidence Voltaire, 130 logements, est en \
        cours depuis mars 2023 pour 7,8 millions d'euros.";
    let ops = operations(text);
    assert_eq!(ops.len(), 3, "{ops:#?}");
    let names: Vec<&str> = ops
        .iter()
        .map(|o| o.commune.as_ref().map_or("-", |c| c.name.as_str()))
        .collect();
    // The demolition is in Denain, not where its contractor comes from;
    // the résidence Voltaire too (the article's town), not Douchy.
    assert_eq!(names, ["Denain", "Douchy-les-Mines", "Denain"]);
    assert_eq!(
        (ops[0].kind, ops[0].dwellings),
        (Kind::Demolition, Some(96))
    );
    assert_eq!(products(&ops[1]), [("PLUS", 14), ("PLAI", 10)]);
    assert_eq!(
        (ops[2].kind, ops[2].dwellings),
        (Kind::Rehabilitation, Some(130))
    );
    assert_eq!(ops[2].cost_eur, Some(7_800_000));
    let m = ops[2].milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Demarrage, Some(2023), Some(3))
    );
}

#[test]
fn a_total_restated_is_one_operation_and_details_follow_it() {
    let text = "Orchies : 32 logements livrés rue de Douai\n\n\
        Le bailleur a remis en juin 2024 les clés des 32 logements de la rue de Douai.\n\n\
        Le programme comprend 20 logements financés en PLUS, 8 en PLAI et 4 en PLS, pour \
        2 100 m² habitables. Le coût s'établit à 4,1 M€, dont 0,6 M€ de subventions.\n\n\
        Le bailleur gère 9 000 logements et vise 250 logements neufs par an.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let op = &ops[0];
    assert_eq!(op.dwellings, Some(32));
    assert_eq!(products(op), [("PLUS", 20), ("PLAI", 8), ("PLS", 4)]);
    assert_eq!((op.surface_m2, op.cost_eur), (Some(2100), Some(4_100_000)));
    let m = op.milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Livraison, Some(2024), Some(6))
    );
}

#[test]
fn shared_products_typologies_and_purchases_off_plan() {
    // One count financed by two products: no split is stated.
    let text =
        "À Cysoing, le bailleur a livré en mai 2023 18 logements financés en PLUS et en PLAI.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    assert!(ops[0].by_product.is_empty(), "{:?}", ops[0].by_product);
    // Typologies after the product line break it down, they are no total.
    let text = "ROUBAIX Rue de Lille\nReconversion d'une filature en résidence.\n\n \
        40 PLAI\n34 studios / 6 T1 bis\n\n Livraison : 2025";
    let ops = operations(text);
    assert_eq!(
        (ops[0].dwellings, ops[0].dwellings_derived),
        (Some(40), true)
    );
    // Bought while being built: a construction.
    let text =
        "À Senlis, le conseil autorise l'acquisition en VEFA de 22 logements (15 PLUS, 7 PLAI).";
    let ops = operations(text);
    assert_eq!(ops[0].kind, Kind::Construction);
    assert_eq!(products(&ops[0]), [("PLUS", 15), ("PLAI", 7)]);
}

#[test]
fn works_read_in_context() {
    // Clearing a warehouse to build is a construction; a former school
    // that became dwellings is a transformation; a residence for seniors
    // is new unless said otherwise.
    let text = "Trois projets à l'étude\n\n\
        À Cholet, le bailleur prévoit la démolition d'un entrepôt vétuste et la construction \
        de 18 logements rue Nationale, livrables en 2026.\n\n\
        À Laval, l'ancien collège Jules-Ferry, devenu une résidence de 22 logements, a été \
        inauguré en octobre 2024 rue du Pin-Doré.\n\n\
        À Vannes, Vannes Golfe Habitat prépare une résidence seniors de 40 logements \
        avenue Victor-Hugo, dont les travaux commenceront en 2025.";
    let ops = operations(text);
    assert_eq!(ops.len(), 3, "{ops:#?}");
    let kinds: Vec<Kind> = ops.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [Kind::Construction, Kind::Transformation, Kind::Construction]
    );
    // Demolishing dwellings still is a demolition.
    let ops = operations(
        "Lorient\n\nÀ Lorient, la démolition de la barre Kerguillette, 96 logements, \
         débutera en 2025.",
    );
    assert_eq!(ops[0].kind, Kind::Demolition, "{ops:#?}");
}

#[test]
fn purchases_by_landlords_not_by_households() {
    // A bulk purchase of new dwellings is a construction; a deed for an
    // old house is an acquisition-amélioration; a household's purchase
    // option is neither.
    let text = "Deux achats\n\n\
        À Saintes, le bailleur a signé en mars 2024 l'acquisition de 30 logements neufs \
        auprès d'un promoteur, rue de la Comédie.\n\n\
        À Bayeux, l'acte d'achat d'un ancien hôtel particulier de la rue Franche a été \
        signé en juin 2024. Il sera divisé en six logements financés en PLAI.";
    let ops = operations(text);
    assert_eq!(ops.len(), 2, "{ops:#?}");
    assert_eq!(ops[0].kind, Kind::Construction);
    assert_eq!(ops[1].commune.as_ref().unwrap().name, "Bayeux");
    assert_eq!(ops[1].kind, Kind::AcquisitionAmelioration);
    assert_eq!(products(&ops[1]), [("PLAI", 6)]);
    let ops = operations(
        "Auxerre\n\nÀ Auxerre, 12 maisons en location-accession ont été livrées en 2024 \
         rue de Paris. Les ménages pourront lever l'option d'achat après trois ans.",
    );
    assert_eq!(ops[0].kind, Kind::Construction, "{ops:#?}");
}

#[test]
fn a_paragraph_opens_the_next_operation() {
    // The sentence naming the town comes before the one stating the
    // dwellings: both belong to the second operation.
    let text = "Deux opérations\n\n\
        À Roubaix, le bailleur réhabilite 26 logements rue de Lannoy. Les travaux \
        démarreront en mai 2025.\n\n\
        À Tourcoing, une ancienne maison de maître de la rue de Gand a été acquise \
        en janvier 2025. Elle accueillera cinq logements.";
    let ops = operations(text);
    assert_eq!(ops.len(), 2, "{ops:#?}");
    let second = &ops[1];
    assert_eq!(second.commune.as_ref().unwrap().name, "Tourcoing");
    assert_eq!(second.dwellings, Some(5));
    assert_eq!(second.kind, Kind::AcquisitionAmelioration);
    let signed = second.milestone.as_ref().unwrap();
    assert_eq!((signed.year, signed.month), (Some(2025), Some(1)));
    assert_eq!(ops[0].dwellings, Some(26));
}

#[test]
fn what_is_not_an_operation_or_a_milestone() {
    // A plural `livraisons` speaks of many operations; `une maison` is an
    // article, not a count; `d'ici 2028` is a target.
    let text = "Des livraisons en hausse\n\n\
        À Auxerre, Domanys a inauguré en mai 2024 la résidence Les Cordiers, 32 logements \
        rue des Cordiers. « Une maison de 85 m² coûte ici 900 euros de loyer », rappelle le \
        maire. Le bailleur compte livrer 150 logements par an d'ici 2028.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let m = ops[0].milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Inauguration, Some(2024), Some(5))
    );
}

#[test]
fn a_board_decision_is_dated_by_its_meeting() {
    let text = "Délibérations du conseil d'administration du 14 mars 2024\n\n\
        Le conseil approuve la réhabilitation de 48 logements de la résidence Les Ormeaux \
        à Cholet. Montant prévisionnel : 1 900 000 €.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let m = ops[0].milestone.as_ref().unwrap();
    assert_eq!(
        (m.kind, m.year, m.month),
        (MilestoneKind::Annonce, Some(2024), Some(3))
    );
}

#[test]
fn products_named_with_the_dwellings() {
    // A product whose name holds the dwelling word; a total named by a
    // product then split names the whole.
    let ops = operations(
        "Laval\n\nÀ Laval, 60 logements locatifs intermédiaires seront livrés en 2026 \
         boulevard Jourdan.",
    );
    assert_eq!(products(&ops[0]), [("LLI", 60)], "{ops:#?}");
    let ops = operations(
        "Laval\n\nÀ Laval, Méduane Habitat a livré 30 logements locatifs sociaux rue de \
         Bretagne : 18 PLUS, 8 PLAI et 4 PLS.",
    );
    assert_eq!(ops[0].dwellings, Some(30), "{ops:#?}");
    assert!(!ops[0].dwellings_derived);
    assert_eq!(products(&ops[0]), [("PLUS", 18), ("PLAI", 8), ("PLS", 4)]);
}

#[test]
fn a_street_is_the_site_before_a_residence_name() {
    let ops = operations(
        "Vannes\n\nÀ Vannes, le bailleur a livré la résidence Les Mouettes, 20 logements \
         construits quai Éric-Tabarly.",
    );
    assert_eq!(
        ops[0].site.as_deref(),
        Some("quai Éric-Tabarly"),
        "{ops:#?}"
    );
}

#[test]
fn copies_naming_the_site_differently_share_a_link_key() {
    let here = operations(
        "Saintes\n\nÀ Saintes, le bailleur a livré en juin 2024 la résidence Les Tanneurs, \
         24 logements : 16 PLUS et 8 PLAI.",
    );
    let there = operations(
        "Saintes : 24 logements livrés\n\nLe bailleur a livré en juin 2024 rue de l'Arc-de-Triomphe \
         à Saintes 24 logements, dont 16 PLUS et 8 PLAI.",
    );
    let other = operations(
        "Saintes\n\nÀ Saintes, le bailleur a livré en juin 2024 24 logements rue Gautier : \
         12 PLUS et 12 PLAI.",
    );
    let keys = |ops: &[Operation]| ops[0].link_keys();
    // The same split by product, though one names a residence and the
    // other its street.
    assert_eq!(
        keys(&here).split,
        keys(&there).split,
        "{here:#?} {there:#?}"
    );
    assert!(keys(&here).split.is_some());
    assert_ne!(keys(&here).split, keys(&other).split);
    assert_ne!(keys(&here).site, keys(&there).site);
    // A street number is no part of the site.
    let numbered =
        operations("Saintes\n\nÀ Saintes, 24 logements ont été livrés en 2024 au 12, rue Gautier.");
    assert_eq!(keys(&numbered).site, keys(&other).site);
}

#[test]
fn milestones_as_lists_and_press_write_them() {
    let text = "Opérations du bailleur\n\n\
        NIORT Rue de la Gare\nConstruction de 20 logements.\n\n 12 PLUS / 8 PLAI\n\n \
        Ordre de service : mars 2025\n\n\
        POITIERS Rue Carnot\nRéhabilitation de 40 logements.\n\n Travaux réceptionnés : juin 2024\n\n\
        ANGOULÊME Rue de Paris\nConstruction de 10 maisons.\n\n Permis obtenu : mai 2024\n\n\
        QUIMPER Allée des Roses\nConstruction de 14 logements.\n\n Mise en service : courant 2025";
    let ops = operations(text);
    let steps: Vec<(MilestoneKind, Option<i32>, Option<u8>)> = ops
        .iter()
        .map(|o| {
            let m = o.milestone.as_ref().expect("a milestone");
            (m.kind, m.year, m.month)
        })
        .collect();
    assert_eq!(
        steps,
        [
            (MilestoneKind::Demarrage, Some(2025), Some(3)),
            (MilestoneKind::Livraison, Some(2024), Some(6)),
            (MilestoneKind::Permis, Some(2024), Some(5)),
            (MilestoneKind::Livraison, Some(2025), None),
        ]
    );
    let one = |text: &str| {
        let ops = operations(text);
        let m = ops[0].milestone.clone().expect("a milestone");
        (m.kind, m.year, m.month)
    };
    // A date in figures; keys handed over, said after them.
    assert_eq!(
        one(
            "Niort\n\nÀ Niort, l'ordre de service des 20 logements de la rue Brisson a été \
             signé le 14/10/2024."
        ),
        (MilestoneKind::Demarrage, Some(2024), Some(10))
    );
    assert_eq!(
        one(
            "Niort\n\nÀ Niort, les clés des 20 logements de la résidence Les Chênes ont été \
             remises le 3 avril 2025, rue Brisson."
        ),
        (MilestoneKind::Livraison, Some(2025), Some(4))
    );
    // A building's history and a sales launch are no steps of the works;
    // a date set for this operation is one, even with `d'ici`.
    assert_eq!(
        one(
            "Poitiers\n\nÀ Poitiers, la tour Bellevue, livrée en 1968, sera rénovée : ses 96 \
             logements seront réhabilités, les travaux démarreront en mars 2025."
        ),
        (MilestoneKind::Demarrage, Some(2025), Some(3))
    );
    assert_eq!(
        one(
            "Poitiers\n\nÀ Poitiers, le permis de construire de 12 maisons a été obtenu en \
             mai 2024 rue Carnot. La commercialisation démarre en septembre."
        ),
        (MilestoneKind::Permis, Some(2024), Some(5))
    );
    assert_eq!(
        one(
            "Poitiers\n\nÀ Poitiers, 18 logements sont en travaux rue Carnot. Ils doivent \
             s'achever d'ici fin 2026."
        ),
        (MilestoneKind::Livraison, Some(2026), None)
    );
}

#[test]
fn reports_and_headings_inside_a_passage() {
    // A report's key figures are its yearly output, and a heading line
    // opens the next operation even inside one passage.
    let text = "Rapport d'activité 2024\n\nChiffres clés\n186 logements neufs livrés\n\
        312 logements réhabilités\n48 M€ investis\nFaits marquants\n\
        Niort – Une résidence pour les aînés\nLa résidence Les Lilas, rue Brisson, a été \
        mise en service en juin 2024. Ses 24 appartements (16 PLUS, 8 PLAI) entourent un \
        jardin.";
    let ops = operations(text);
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let op = &ops[0];
    assert_eq!(op.commune.as_ref().unwrap().name, "Niort");
    assert_eq!(op.dwellings, Some(24));
    assert!(!op.dwellings_derived);
    assert_eq!(op.kind, Kind::Construction, "new, no works said");
}

#[test]
fn parts_sites_and_residences_for_young_workers() {
    // A part opened by `dont` goes on after a bracket; a street name
    // holds figures; a site stops at a colon.
    let ops = operations(
        "Quimper\n\nÀ Quimper, la première pierre de 30 logements a été posée avenue du \
         8-Mai-1945, dont 20 en location-accession (PSLA) et 10 logements locatifs sociaux.",
    );
    assert_eq!(ops[0].dwellings, Some(30), "{ops:#?}");
    assert_eq!(ops[0].site.as_deref(), Some("avenue du 8-Mai-1945"));
    let ops = operations(
        "Niort\n\nÀ Niort, le bailleur ouvre rue Brisson : 40 logements pour jeunes actifs, \
         livrés en septembre 2025.",
    );
    assert_eq!(ops[0].kind, Kind::ResidenceEtudiante, "{ops:#?}");
    assert_eq!(ops[0].site.as_deref(), Some("rue Brisson"));
}
