/* parley demo: a realistic small CRM from fixed tables, one table per kind.
 * Everything goes through entity_validate() and store_record_create() /
 * store_record_update(), so events, timelines and deal stage history look as
 * they would after real use. Dates are offsets in days from the day of
 * loading, so overdue tasks are overdue and open deals close in the future
 * whenever the demo is loaded. Domains are under the reserved .example TLD
 * (RFC 2606) and phone numbers in ranges set aside for fiction, so the demo
 * never mails or calls a real person. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "cli/commands.h"
#include "cli/demo.h"
#include "core/entity.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define DAY	 (24 * 60 * 60)
#define NONE	 (-1)
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

static const struct demo_user {
	const char *email, *name;
} demo_users[] = {
    {"maria.lopez@example.com", "María López"},
    {"james.okafor@example.com", "James Okafor"},
    {"yuki.tanaka@example.com", "Yuki Tanaka"},
};

static const struct demo_company {
	const char *name, *domain;
	int owner; /* index into demo_users */
	const char *notes, *industry, *employees;
} demo_companies[] = {
    {"Northwind Logistics", "northwind-logistics.example", 0,
     "Freight forwarding across the Nordics and the Baltics.", "logistics", "250-500"},
    {"Helvetia Precision AG", "helvetia-precision.example", 1,
     "Swiss maker of CNC parts; buys in yearly frame contracts.", "manufacturing", "100-250"},
    {"Sakura Foods K.K.", "sakura-foods.example", 2,
     "Food distribution in Kansai; pilot in Osaka first.", "food", "500-1000"},
    {"Lumen Health", "lumenhealth.example", 0, "A chain of 14 outpatient clinics.", "healthcare",
     "1000+"},
    {"Fjordline Outdoor AS", "fjordline.example", 1,
     "Outdoor gear retailer with a strong web shop.", "retail", "50-100"},
    {"Casa Verde Interiors", "casaverde.example", 0,
     "Interior design studios in Madrid and Lisbon.", "design", "10-50"},
    {"Kestrel Aerospace", "kestrel-aero.example", 2, "Drone components; long procurement cycles.",
     "aerospace", "250-500"},
    {"Baobab Fintech", "baobab-fintech.example", 1, "Mobile payments in Kenya and Nigeria.",
     "finance", "100-250"},
    {"Marigold Hotels", "marigold-hotels.example", 0, "Boutique hotels in India and Sri Lanka.",
     "hospitality", "500-1000"},
    {"Atlas Robotics GmbH", "atlas-robotics.example", 2,
     "Warehouse robots; a partner of Northwind.", "robotics", "50-100"},
    {"Pampas Agro S.A.", "pampas-agro.example", 1, "Grain cooperative in Córdoba, Argentina.",
     "agriculture", "250-500"},
    {"Bluewater Analytics", "bluewater-analytics.example", 2, "Data consultancy in Sydney.",
     "software", "10-50"},
};

static const struct demo_contact {
	const char *first, *last, *email, *email2, *phone;
	int company, owner;
	const char *stage, *tags, *custom; /* tags ';'-separated; custom JSON text */
} demo_contacts[] = {
    {"Ingrid", "Halvorsen", "ingrid.halvorsen@northwind-logistics.example", NULL,
     "+44 20 7946 0101", 0, 0, "customer", "logistics;decision-maker",
     "{\"role\": \"Head of Procurement\", \"language\": \"no\"}"},
    {"Mikael", "Virtanen", "mikael.virtanen@northwind-logistics.example", NULL, "+44 7700 900102",
     0, 0, "customer", "logistics;it", "{\"role\": \"IT Manager\", \"language\": \"fi\"}"},
    {"Lukas", "Brunner", "lukas.brunner@helvetia-precision.example", NULL, "+44 20 7946 0103", 1, 1,
     "customer", "manufacturing;decision-maker", "{\"role\": \"COO\", \"language\": \"de\"}"},
    {"Sophie", "Keller", "sophie.keller@helvetia-precision.example", NULL, NULL, 1, 1, "prospect",
     "manufacturing;newsletter", "{\"role\": \"Purchasing\", \"language\": \"de\"}"},
    {"Haruto", "Sato", "haruto.sato@sakura-foods.example", NULL, "+1 415 555 0104", 2, 2,
     "prospect", "food;pilot", "{\"role\": \"Director of Operations\", \"language\": \"ja\"}"},
    {"Aiko", "Nakamura", "aiko.nakamura@sakura-foods.example", NULL, NULL, 2, 2, "lead", "food",
     "{\"role\": \"Analyst\", \"language\": \"ja\"}"},
    {"Grace", "Whitfield", "grace.whitfield@lumenhealth.example", "grace.w@mail.example",
     "+1 212 555 0105", 3, 0, "customer", "healthcare;decision-maker;vip",
     "{\"role\": \"CEO\", \"language\": \"en\"}"},
    {"Daniel", "Osei", "daniel.osei@lumenhealth.example", NULL, "+1 212 555 0106", 3, 0, "customer",
     "healthcare;it", "{\"role\": \"CTO\", \"language\": \"en\"}"},
    {"Priya", "Raman", "priya.raman@lumenhealth.example", NULL, "+1 212 555 0107", 3, 0, "prospect",
     "healthcare", "{\"role\": \"Clinic Manager\"}"},
    {"Eirik", "Solberg", "eirik.solberg@fjordline.example", NULL, "+44 7700 900108", 4, 1,
     "customer", "retail;e-commerce", "{\"role\": \"Head of E-commerce\"}"},
    {"Nora", "Lie", "nora.lie@fjordline.example", NULL, NULL, 4, 1, "churned", "retail",
     "{\"churn_reason\": \"moved to an in-house tool\"}"},
    {"Lucía", "Fernández", "lucia.fernandez@casaverde.example", NULL, "+33 1 99 00 01 09", 5, 0,
     "customer", "design;vip", "{\"role\": \"Founder\", \"language\": \"es\"}"},
    {"João", "Pereira", "joao.pereira@casaverde.example", NULL, NULL, 5, 0, "lead", "design",
     "{\"language\": \"pt\"}"},
    {"Marcus", "Reid", "marcus.reid@kestrel-aero.example", NULL, "+44 20 7946 0110", 6, 2,
     "prospect", "aerospace;decision-maker", "{\"role\": \"VP Supply Chain\"}"},
    {"Olivia", "Chen", "olivia.chen@kestrel-aero.example", NULL, NULL, 6, 2, "lead",
     "aerospace;engineering", "{\"role\": \"Engineering Lead\"}"},
    {"Wanjiru", "Kamau", "wanjiru.kamau@baobab-fintech.example", NULL, "+44 7700 900111", 7, 1,
     "customer", "finance;decision-maker",
     "{\"role\": \"Head of Operations\", \"language\": \"sw\"}"},
    {"Chinedu", "Okeke", "chinedu.okeke@baobab-fintech.example", NULL, NULL, 7, 1, "prospect",
     "finance;it", "{\"role\": \"Security Engineer\"}"},
    {"Arjun", "Mehta", "arjun.mehta@marigold-hotels.example", NULL, "+44 7700 900112", 8, 0,
     "customer", "hospitality;vip", "{\"role\": \"Managing Director\"}"},
    {"Ananya", "Iyer", "ananya.iyer@marigold-hotels.example", NULL, NULL, 8, 0, "prospect",
     "hospitality", "{\"role\": \"Guest Relations\"}"},
    {"Felix", "Wagner", "felix.wagner@atlas-robotics.example", NULL, "+44 20 7946 0113", 9, 2,
     "customer", "robotics;partner", "{\"role\": \"Partner Manager\", \"language\": \"de\"}"},
    {"Hannah", "Schmidt", "hannah.schmidt@atlas-robotics.example", NULL, NULL, 9, 2, "lead",
     "robotics", NULL},
    {"Mateo", "González", "mateo.gonzalez@pampas-agro.example", NULL, "+1 312 555 0114", 10, 1,
     "prospect", "agriculture", "{\"language\": \"es\"}"},
    {"Valentina", "Rossi", "valentina.rossi@pampas-agro.example", NULL, NULL, 10, 1, "lead",
     "agriculture;webinar", NULL},
    {"Liam", "O'Connor", "liam.oconnor@bluewater-analytics.example", NULL, "+61 2 5550 0115", 11, 2,
     "customer", "software;partner", "{\"role\": \"Principal\"}"},
    {"Chloé", "Dubois", "chloe.dubois@bluewater-analytics.example", NULL, "+33 1 99 00 01 16", 11,
     2, "lead", "software", "{\"language\": \"fr\"}"},
    {"Tomás", "Silva", "tomas.silva@mail.example", NULL, NULL, NONE, 0, "lead", "webinar",
     "{\"source\": \"webinar\"}"},
    {"Amara", "Nwosu", "amara.nwosu@inbox.example", NULL, "+44 7700 900117", NONE, 1, "lead",
     "newsletter", "{\"source\": \"newsletter\"}"},
    {"Sven", "Lindqvist", "sven.lindqvist@mail.example", NULL, NULL, NONE, 2, "churned",
     "newsletter", "{\"churn_reason\": \"budget cut\"}"},
    {"Fatima Zahra", "Benali", "fz.benali@inbox.example", NULL, "+33 1 99 00 01 18", NONE, 0,
     "prospect", "webinar;trade-show", "{\"source\": \"trade show\", \"language\": \"fr\"}"},
    {"Kenji", "Watanabe", "kenji.watanabe@mail.example", NULL, NULL, NONE, 2, "lead", "trade-show",
     "{\"source\": \"trade show\"}"},
    {"Isabella", "Costa", "isabella.costa@inbox.example", NULL, "+44 7700 900119", NONE, 1,
     "customer", "repeat-buyer", "{\"source\": \"referral\"}"},
    {"Noah", "Fischer", "noah.fischer@mail.example", NULL, NULL, NONE, 0, "lead", "newsletter",
     NULL},
    {"Zanele", "Dlamini", "zanele.dlamini@inbox.example", NULL, "+44 7700 900120", NONE, 1,
     "prospect", "referral", "{\"source\": \"referral\"}"},
    {"Emma", "Johansson", "emma.johansson@northwind-logistics.example", NULL, NULL, 0, 0, "lead",
     "logistics", "{\"role\": \"Warehouse Planner\"}"},
    {"Rafael", "Moreno", "rafael.moreno@casaverde.example", NULL, NULL, 5, 0, "churned", "design",
     "{\"churn_reason\": \"left the company\"}"},
    {"Mei", "Lin", "mei.lin@sakura-foods.example", NULL, "+1 415 555 0121", 2, 2, "customer",
     "food;repeat-buyer", "{\"role\": \"Buyer\"}"},
    {"Oliver", "Bennett", "oliver.bennett@kestrel-aero.example", NULL, "+44 20 7946 0122", 6, 2,
     "churned", "aerospace", "{\"churn_reason\": \"project cancelled\"}"},
    {"Sara", "Haddad", "sara.haddad@mail.example", "sara@inbox.example", "+1 312 555 0123", NONE, 1,
     "customer", "repeat-buyer;vip", "{\"source\": \"web shop\"}"},
    {"Diego", "Ramírez", "diego.ramirez@pampas-agro.example", NULL, "+1 312 555 0124", 10, 1,
     "customer", "agriculture;decision-maker", "{\"role\": \"Chairman\", \"language\": \"es\"}"},
    {"Elena", "Popescu", "elena.popescu@inbox.example", NULL, NULL, NONE, 0, "prospect",
     "referral;webinar", "{\"source\": \"referral\", \"language\": \"ro\"}"},
};

static const struct demo_deal {
	const char *title;
	int company, contact, owner;
	long long amount; /* minor units */
	const char *currency, *stage;
	const char *lost_after; /* stage "lost": the last stage reached before */
	int close_days;		/* expected close, days from the load day */
} demo_deals[] = {
    {"Northwind: fleet tracking rollout", 0, 0, 0, 4800000, "EUR", "won", NULL, -20},
    {"Helvetia: yearly parts frame", 1, 2, 1, 12500000, "CHF", "negotiation", NULL, 14},
    {"Sakura: Osaka pilot", 2, 4, 2, 3600000, "USD", "proposal", NULL, 30},
    {"Lumen: patient messaging", 3, 6, 0, 9600000, "USD", "won", NULL, -35},
    {"Lumen: clinic 15 onboarding", 3, 8, 0, 1800000, "USD", "proposal", NULL, 21},
    {"Fjordline: web chat", 4, 9, 1, 24000000, "NOK", "negotiation", NULL, 10},
    {"Fjordline: renewal", 4, 10, 1, 9000000, "NOK", "lost", "proposal", -45},
    {"Casa Verde: studio plan", 5, 11, 0, 360000, "EUR", "won", NULL, -58},
    {"Kestrel: supplier portal", 6, 13, 2, 15000000, "GBP", "qualified", NULL, 60},
    {"Kestrel: engineering seats", 6, 14, 2, 2200000, "GBP", "new", NULL, 90},
    {"Baobab: agent network", 7, 15, 1, 7500000, "USD", "won", NULL, -24},
    {"Baobab: fraud alerts add-on", 7, 16, 1, 1200000, "USD", "proposal", NULL, 30},
    {"Marigold: guest messaging", 8, 17, 0, 540000000, "INR", "negotiation", NULL, 7},
    {"Marigold: Sri Lanka properties", 8, 18, 0, 1500000, "USD", "qualified", NULL, 75},
    {"Atlas: partner referral programme", 9, 19, 2, 3000000, "EUR", "negotiation", NULL, 5},
    {"Atlas: support upgrade", 9, 20, 2, 450000, "EUR", "new", NULL, 45},
    {"Pampas: harvest campaign", 10, 21, 1, 1800000, "USD", "qualified", NULL, 40},
    {"Bluewater: analytics connector", 11, 23, 2, 2750000, "AUD", "won", NULL, -11},
    {"Bluewater: training days", 11, 24, 2, 600000, "AUD", "lost", "qualified", -15},
    {"Isabella Costa: consulting hours", NONE, 30, 1, 250000, "EUR", "new", NULL, 20},
};

/* The stages a deal passes on its way, in pipeline order (default pipeline). */
static const char *const demo_path[] = {"new", "qualified", "proposal", "negotiation"};

static const struct demo_product {
	const char *sku, *name;
	long long price; /* minor units */
} demo_products[] = {
    {"LIC-TEAM-M", "Team licence, monthly", 4900},
    {"LIC-TEAM-Y", "Team licence, yearly", 49000},
    {"SRV-ONB", "Onboarding workshop", 150000},
    {"SRV-TRAIN", "Training day", 90000},
    {"MSG-SMS-10K", "SMS bundle, 10,000 messages", 45000},
    {"ADD-WA", "WhatsApp channel add-on", 12000},
    {"ADD-API", "API access, yearly", 60000},
    {"SUP-PRIO", "Priority support, yearly", 120000},
    {"SRV-MIG", "Data migration", 75000},
    {"HW-GW", "Gateway device", 32000},
};

#define ORDER_MAX_LINES 3

static const struct demo_order {
	int contact, deal;
	const char *currency, *status;
	int days_ago;
	struct {
		int product, qty; /* qty 0 ends the list */
	} lines[ORDER_MAX_LINES];
} demo_orders[] = {
    {0, 0, "EUR", "delivered", 18, {{1, 25}, {2, 1}}},
    {0, NONE, "EUR", "paid", 3, {{4, 2}}},
    {1, 0, "EUR", "delivered", 17, {{9, 4}}},
    {2, NONE, "CHF", "delivered", 120, {{1, 10}}},
    {2, NONE, "CHF", "paid", 5, {{7, 1}}},
    {6, 3, "USD", "delivered", 40, {{1, 60}, {2, 2}, {8, 1}}},
    {6, NONE, "USD", "paid", 10, {{4, 5}}},
    {7, 3, "USD", "delivered", 38, {{6, 1}}},
    {9, NONE, "NOK", "shipped", 2, {{1, 8}, {5, 1}}},
    {11, 7, "EUR", "delivered", 60, {{0, 3}}},
    {11, NONE, "EUR", "paid", 30, {{0, 3}}},
    {11, NONE, "EUR", "placed", 1, {{0, 3}}},
    {15, 10, "USD", "delivered", 25, {{1, 40}, {2, 1}}},
    {15, NONE, "USD", "paid", 7, {{4, 10}}},
    {17, NONE, "INR", "delivered", 90, {{1, 15}}},
    {17, NONE, "INR", "refunded", 45, {{3, 1}}},
    {19, NONE, "EUR", "delivered", 75, {{9, 12}, {6, 1}}},
    {19, NONE, "EUR", "shipped", 4, {{9, 6}}},
    {23, 17, "AUD", "delivered", 12, {{6, 1}, {3, 2}}},
    {23, NONE, "AUD", "paid", 2, {{1, 5}}},
    {30, NONE, "EUR", "delivered", 150, {{0, 1}}},
    {30, NONE, "EUR", "delivered", 120, {{0, 1}}},
    {30, NONE, "EUR", "delivered", 90, {{0, 1}, {3, 1}}},
    {35, NONE, "USD", "delivered", 33, {{1, 12}}},
    {35, NONE, "USD", "cancelled", 20, {{5, 1}}},
    {37, NONE, "USD", "delivered", 200, {{1, 3}}},
    {37, NONE, "USD", "delivered", 100, {{7, 1}}},
    {37, NONE, "USD", "paid", 6, {{4, 1}, {5, 1}}},
    {38, NONE, "USD", "delivered", 50, {{1, 20}, {8, 1}}},
    {10, NONE, "NOK", "refunded", 300, {{0, 5}}},
};

static const struct demo_note {
	const char *body;
	int contact, company, deal;
} demo_notes[] = {
    {"Kick-off call went well. Ingrid wants a weekly status mail during the rollout.", 0, NONE, 0},
    {"Mikael asked for single sign-on with their identity provider; sent the setup guide.", 1, NONE,
     NONE},
    {"The frame contract needs sign-off from the board in Zurich, expected mid-month.", NONE, 1, 1},
    {"Sophie prefers German for all written offers.", 3, NONE, NONE},
    {"Pilot scope: three warehouses in Osaka, 40 users. Budget approved; offer in USD.", 4, NONE,
     2},
    {"Aiko downloaded the pricing sheet twice. Follow up gently.", 5, NONE, NONE},
    {"Grace decides the renewal alone; she loves the timeline view.", 6, NONE, NONE},
    {"Daniel needs a data processing agreement before the new clinic goes live.", 7, NONE, 4},
    {"Priya runs clinic 15; the opening is planned for next quarter.", 8, NONE, 4},
    {"Eirik wants web chat on the shop before the winter season.", 9, NONE, 5},
    {"Lost the renewal: they moved to an in-house tool. Keep them on the newsletter.", 10, NONE, 6},
    {"Lucía referred João from the Lisbon studio.", 11, NONE, NONE},
    {"Procurement at Kestrel runs in quarterly windows; the next opens in six weeks.", NONE, 6, 8},
    {"Olivia evaluates for the engineering team and wants a sandbox.", 14, NONE, 9},
    {"Wanjiru confirmed the rollout to 1,200 agents in Nairobi and Lagos.", 15, NONE, 10},
    {"Chinedu asked whether fraud alerts can go out by SMS and WhatsApp.", 16, NONE, 11},
    {"Arjun wants guest messaging in Hindi and English.", 17, NONE, 12},
    {"Felix sends us two warehouse leads a month; partner discount agreed at 15%.", 19, NONE, 14},
    {"Mateo: harvest starts in March; the campaign must be live by then.", 21, NONE, 16},
    {"Liam signed. Invoices go to accounts@bluewater-analytics.example.", 23, NONE, 17},
    {"Training days postponed indefinitely: the budget moved to hiring.", 24, NONE, 18},
    {"Sven left because of budget cuts; he might come back next fiscal year.", 27, NONE, NONE},
    {"Met Fatima Zahra at the trade show in Casablanca; interested in the API.", 28, NONE, NONE},
    {"Isabella renews every quarter without fuss; offer her a yearly plan.", 30, NONE, NONE},
    {"Marigold wants all properties on one account; check pricing for 12 hotels.", NONE, 8, NONE},
};

static const struct demo_task {
	const char *title, *description;
	int due_days; /* from the load day; negative: overdue unless done */
	int assignee, contact, deal;
	bool done;
} demo_tasks[] = {
    {"Send the rollout status report", "Weekly mail to Ingrid.", -2, 0, 0, 0, false},
    {"Draft the frame contract", "Use last year's terms as the base.", 3, 1, 2, 1, false},
    {"Call Haruto about the pilot scope", NULL, -1, 2, 4, 2, false},
    {"Send the DPA to Daniel", "Legal approved the template.", -5, 0, 7, 4, true},
    {"Demo web chat to Eirik", "Show the shop widget and the inbox.", 1, 1, 9, 5, false},
    {"Ask Nora for churn feedback", NULL, -10, 1, 10, 6, true},
    {"Set up a sandbox for Olivia", NULL, 2, 2, 14, 9, false},
    {"Quote the fraud alerts add-on", "SMS and WhatsApp pricing.", -3, 1, 16, 11, false},
    {"Translate message templates to Hindi", NULL, 7, 0, 17, 12, false},
    {"Review the partner referral terms", NULL, 0, 2, 19, 14, false},
    {"Book the harvest campaign kick-off", NULL, 5, 1, 21, 16, false},
    {"Send the invoice to Bluewater", NULL, -4, 2, 23, 17, true},
    {"Follow up with Fatima Zahra on API access", NULL, -6, 0, 28, NONE, false},
    {"Offer Isabella a yearly plan", NULL, 10, 1, 30, NONE, false},
    {"Check in with Sven", "New fiscal year: budget again?", 120, 2, 27, NONE, false},
};

struct demo {
	struct store *st;
	struct arena *a;
	struct entity_env env;
	int64_t today; /* midnight UTC of the load day */
	int64_t users[COUNT(demo_users)], companies[COUNT(demo_companies)],
	    contacts[COUNT(demo_contacts)], deals[COUNT(demo_deals)];
};

/* Validates input (tied to d->a) and creates the record; *id_r may be NULL. */
static int create(struct demo *d, const struct entity_def *def, json_t *input, int64_t actor,
		  int64_t *id_r, struct err *err)
{
	json_t *rec, *out;
	if (entity_validate(def, input, NULL, &d->env, d->a, &rec, err) < 0 ||
	    store_record_create(d->st, def, rec, actor, d->a, &out, err) < 0)
		return -1;
	if (id_r)
		*id_r = json_integer_value(json_object_get(out, "id"));
	return 0;
}

static int update(struct demo *d, const struct entity_def *def, int64_t id, json_t *changes,
		  int64_t actor, struct err *err)
{
	json_t *old, *rec, *out;
	int r = store_record_get(d->st, def, id, d->a, &old, err);
	if (r == 0)
		return err_set(err, ERR_INTERNAL, "demo %s %lld vanished", def->name,
			       (long long)id);
	if (r < 0 || entity_validate(def, changes, old, &d->env, d->a, &rec, err) < 0 ||
	    store_record_update(d->st, def, id, rec, actor, d->a, &out, err) < 0)
		return -1;
	return 0;
}

/* A new JSON object tied to d->a. */
static json_t *obj(struct demo *d)
{
	return json_in_arena(d->a, json_object());
}

static void set_ref(json_t *o, const char *key, const int64_t *ids, int index)
{
	if (index != NONE)
		json_object_set_new(o, key, json_integer(ids[index]));
}

static int load_users(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_users); i++) {
		struct user *u;
		int r = store_user_by_email(d->st, demo_users[i].email, d->a, &u, err);
		if (r < 0)
			return -1;
		if (r == 1)
			d->users[i] = u->id; /* loaded before: reuse */
		else if (store_user_create(d->st, demo_users[i].email, demo_users[i].name,
					   USER_MANAGER, NULL, &d->users[i], err) < 0)
			return -1;
	}
	return 0;
}

static int load_companies(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_companies); i++) {
		const struct demo_company *c = &demo_companies[i];
		json_t *in = json_in_arena(
		    d->a, json_pack("{sss[s]sIsss{ssss}}", "name", c->name, "domains", c->domain,
				    "owner_id", (json_int_t)d->users[c->owner], "notes", c->notes,
				    "custom", "industry", c->industry, "employees", c->employees));
		if (create(d, &company_def, in, d->users[c->owner], &d->companies[i], err) < 0)
			return -1;
	}
	return 0;
}

/* The ';'-separated parts of s as a JSON array. */
static json_t *split_list(const char *s)
{
	json_t *list = json_array();
	while (s && *s) {
		size_t n = strcspn(s, ";");
		json_array_append_new(list, json_stringn(s, n));
		s += n + (s[n] == ';');
	}
	return list;
}

static json_t *contact_input(struct demo *d, const struct demo_contact *c)
{
	json_t *in = obj(d);
	json_object_set_new(in, "first_name", json_string(c->first));
	json_object_set_new(in, "last_name", json_string(c->last));
	json_object_set_new(in, "emails", json_pack("[s]", c->email));
	if (c->email2)
		json_array_append_new(json_object_get(in, "emails"), json_string(c->email2));
	if (c->phone)
		json_object_set_new(in, "phones", json_pack("[s]", c->phone));
	set_ref(in, "company_id", d->companies, c->company);
	set_ref(in, "owner_id", d->users, c->owner);
	json_object_set_new(in, "stage", json_string(c->stage));
	json_object_set_new(in, "tags", split_list(c->tags));
	if (c->custom)
		json_object_set_new(in, "custom", json_loads(c->custom, 0, NULL));
	return in;
}

static int load_contacts(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_contacts); i++) {
		const struct demo_contact *c = &demo_contacts[i];
		if (create(d, &contact_def, contact_input(d, c), d->users[c->owner],
			   &d->contacts[i], err) < 0)
			return -1;
	}
	return 0;
}

static int move_deal(struct demo *d, int64_t id, const char *stage, int64_t actor, struct err *err)
{
	json_t *ch = json_in_arena(d->a, json_pack("{ss}", "stage", stage));
	return update(d, &deal_def, id, ch, actor, err);
}

/* Creates deal i in "new" and moves it stage by stage to where it ends. */
static int load_deal(struct demo *d, size_t i, struct err *err)
{
	const struct demo_deal *g = &demo_deals[i];
	int64_t actor = d->users[g->owner];
	char close[TIME_ISO_MAX];
	time_format_date(d->today + (int64_t)g->close_days * DAY, close);
	json_t *in = json_in_arena(d->a, json_pack("{sssIsssssIss}", "title", g->title, "amount",
						   (json_int_t)g->amount, "currency", g->currency,
						   "stage", demo_path[0], "owner_id",
						   (json_int_t)actor, "expected_close", close));
	set_ref(in, "company_id", d->companies, g->company);
	set_ref(in, "contact_id", d->contacts, g->contact);
	if (create(d, &deal_def, in, actor, &d->deals[i], err) < 0)
		return -1;
	bool closed = strcmp(g->stage, "won") == 0 || strcmp(g->stage, "lost") == 0;
	const char *last = closed ? (g->lost_after ? g->lost_after : "negotiation") : g->stage;
	for (size_t s = 1; s < COUNT(demo_path) && strcmp(demo_path[s - 1], last) != 0; s++)
		if (move_deal(d, d->deals[i], demo_path[s], actor, err) < 0)
			return -1;
	return closed ? move_deal(d, d->deals[i], g->stage, actor, err) : 0;
}

static int load_deals(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_deals); i++)
		if (load_deal(d, i, err) < 0)
			return -1;
	return 0;
}

static int load_orders(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_orders); i++) {
		const struct demo_order *o = &demo_orders[i];
		json_t *items = json_array();
		for (size_t k = 0; k < ORDER_MAX_LINES && o->lines[k].qty > 0; k++) {
			const struct demo_product *p = &demo_products[o->lines[k].product];
			json_array_append_new(items, json_pack("{sssssisI}", "sku", p->sku, "name",
							       p->name, "qty", o->lines[k].qty,
							       "price", (json_int_t)p->price));
		}
		int64_t placed = d->today - (int64_t)o->days_ago * DAY + 10 * 60 * 60;
		json_t *in =
		    json_in_arena(d->a, json_pack("{sIsosssssI}", "contact_id",
						  (json_int_t)d->contacts[o->contact], "items",
						  items, "currency", o->currency, "status",
						  o->status, "placed_at", (json_int_t)placed));
		set_ref(in, "deal_id", d->deals, o->deal);
		int64_t actor = d->users[demo_contacts[o->contact].owner];
		if (create(d, &order_def, in, actor, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int load_notes(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_notes); i++) {
		const struct demo_note *n = &demo_notes[i];
		json_t *in = json_in_arena(d->a, json_pack("{ss}", "body", n->body));
		set_ref(in, "contact_id", d->contacts, n->contact);
		set_ref(in, "company_id", d->companies, n->company);
		set_ref(in, "deal_id", d->deals, n->deal);
		int owner = n->contact != NONE ? demo_contacts[n->contact].owner
					       : demo_companies[n->company].owner;
		if (create(d, &note_def, in, d->users[owner], NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int load_tasks(struct demo *d, struct err *err)
{
	for (size_t i = 0; i < COUNT(demo_tasks); i++) {
		const struct demo_task *t = &demo_tasks[i];
		int64_t actor = d->users[t->assignee], id;
		int64_t due = d->today + (int64_t)t->due_days * DAY + 15 * 60 * 60;
		json_t *in = json_in_arena(d->a, json_pack("{s:ss:s?s:Is:I}", "title", t->title,
							   "description", t->description, "due_at",
							   (json_int_t)due, "assignee_id",
							   (json_int_t)actor));
		set_ref(in, "contact_id", d->contacts, t->contact);
		set_ref(in, "deal_id", d->deals, t->deal);
		if (create(d, &task_def, in, actor, &id, err) < 0)
			return -1;
		json_t *done = json_in_arena(d->a, json_pack("{ss}", "status", "done"));
		if (t->done && update(d, &task_def, id, done, actor, err) < 0)
			return -1;
	}
	return 0;
}

int demo_load(struct store *st, struct err *err)
{
	struct demo d = {.st = st, .a = arena_new(), .today = time_now() / DAY * DAY};
	int rc = store_entity_env(st, d.a, &d.env, err);
	if (rc == 0)
		rc = store_tx_begin(st, err);
	if (rc < 0) {
		arena_free(&d.a);
		return -1;
	}
	if (load_users(&d, err) < 0 || load_companies(&d, err) < 0 || load_contacts(&d, err) < 0 ||
	    load_deals(&d, err) < 0 || load_orders(&d, err) < 0 || load_notes(&d, err) < 0 ||
	    load_tasks(&d, err) < 0) {
		store_tx_rollback(st);
		rc = -1;
	} else {
		rc = store_tx_commit(st, err);
	}
	arena_free(&d.a);
	return rc;
}

/* The number of rows in table (a fixed name, never input). */
static int64_t count(struct app *app, const char *table, struct arena *a, struct err *err)
{
	int64_t n = 0;
	if (store_query_int(app->store, arena_printf(a, "SELECT COUNT(*) FROM %s", table), &n, err,
			    0) < 0)
		return -1;
	return n;
}

int cmd_demo(struct app *app, int argc, char **argv)
{
	static const char *const tables[] = {"users",  "companies", "contacts", "deals",
					     "orders", "notes",	    "tasks"};
	if (argc != 1)
		return cli_usage("demo");
	struct err err = {0};
	struct arena *a = arena_new();
	int rc = 0;
	int64_t n = count(app, "contacts", a, &err);
	if (n > 0)
		err_set(&err, ERR_CONFLICT,
			"the store already has %lld contacts; demo data loads only into a store "
			"without contacts",
			(long long)n);
	char blobs[4096];
	snprintf(blobs, sizeof(blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
	if (n != 0 || demo_load(app->store, &err) < 0 ||
	    demo_mail_load(app->store, blobs, &err) < 0) {
		rc = cli_fail(&err);
	} else {
		printf("demo data loaded:");
		for (size_t i = 0; i < COUNT(tables) && (n = count(app, tables[i], a, &err)) >= 0;
		     i++)
			printf("%s %lld %s", i ? "," : "", (long long)n, tables[i]);
		printf("\nmanagers without passwords (an admin can set one with PATCH "
		       "/api/v1/users/ID):");
		for (size_t i = 0; i < COUNT(demo_users); i++)
			printf(" %s", demo_users[i].email);
		printf("\n");
		if (n < 0)
			rc = cli_fail(&err);
	}
	arena_free(&a);
	return rc;
}
