// The task table of ../shared/seeds/000_69b0c8eafb31cb2a.txt (运城市司法局, 2019-05-31:
// 《运城市全面推行行政执法三项制度任务分解推进表》), transcribed row by row for the demo; blank
// (merged) cells carry the row above, as the importer reads them.
import type { TaskRow } from './tasks.ts';

export const SEED_TASK_SOURCE = '运城市全面推行行政执法三项制度任务分解推进表（运城市司法局 2019年5月31日）';
export const SEED_TASKS: TaskRow[] = [
  {mainTask: "全面推行行政执法公示制度", breakdown: "制定出台行政执法公示实施办法", requirement: "明确执法信息公示内容、范围、载体、程序、时限、监督方式和保障措施。", responsible: "市司法局", deadline: "2019年8月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "建立执法决定信息公开发布撤销更新制度", requirement: "确保各类公开信息准确有效。", responsible: "市、县行政执法机关", deadline: "2019年8月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "建立行政执法统计年报制度", requirement: "及时统计掌握各类行政执法事项开展情况和执法总体情况", responsible: "市、县司法局和行政执法机关", deadline: "2019年8月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "公开行政执法主体名录", requirement: "梳理确认公布本级行政执法主体。", responsible: "市、县司法局", deadline: "2019年7月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "公开行政执法人员清单", requirement: "审核确认行政执法人员。", responsible: "市、县行政执法机关", deadline: "2019年7月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "编制行政执法事项清单", requirement: "明确行政执法主体、职责、权限、依据。", responsible: "市、县行政执法机关", deadline: "2019年8月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "编制行政执法事项流程图", requirement: "明确各类行政执法行为具体操作流程。", responsible: "市、县行政执法机关", deadline: "2019年8月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "编制随机抽查事项清单", requirement: "公布抽查主体、依据、对象、内容、比例、方式、频次。", responsible: "市、县行政执法机关", deadline: "2019年10月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "编制行政执法服务指南", requirement: "明确事项名称、依据、受理机构、条件、优惠政策、申请材料、办理流程、办理时限、监督方式、责任追究、救济渠道、办公时间、办公地址、办公电话。", responsible: "市、县行政执法机关", deadline: "2019年10月"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "持证上岗，亮证执法", requirement: "执法人员开展执法活动，主动出示省政府统一印制或经备案的行政执法证件。国家规定统一着装、佩戴执法标识的，按要求着装和佩戴标识。主动告知当事人执法事由、执法依据和权利义务等内容，并做好说明解释工作。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "设置岗位信息公示牌", requirement: "政务服务窗口明示执法人员姓名、单位、职务、执法种类、岗位职责、申请材料示范文本、办理进度查询、咨询服务和投诉举报等信息", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行行政执法公示制度", breakdown: "公开行政执法决定", requirement: "公布执法机关、执法对象、执法类别、执法结论等信息，接受社会监督。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行执法全过程记录制度", breakdown: "制定出台行政执法公示实施办法", requirement: "结合实际，明确全过程记录具体形式、内容、载体、储存等内容。", responsible: "市司法局", deadline: "2019年8月"},
  {mainTask: "全面推行执法全过程记录制度", breakdown: "规范开展文字记录", requirement: "严格按照执法文书制作规范开展执法记录工作，突出重要事项和关键环节，做到文字记录合法规范、客观全面。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行执法全过程记录制度", breakdown: "编制音像记录事项清单", requirement: "明确音像记录事项、记录内容、关键环节、记录方式、记录现场。", responsible: "市、县行政执法机关", deadline: "2019年10月"},
  {mainTask: "全面推行执法全过程记录制度", breakdown: "规范开展音像记录", requirement: "严格执行音像记录设备配置、使用、储存、监督管理等要求，规范文明开展全过程音像记录。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行执法全过程记录制度", breakdown: "完善案卷管理", requirement: "严格执行案卷管理制度和制作标准，加强对执法台账和执法文书的制作、使用和管理。推动形成数字化信息档案。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "修订《运城市重大行政执法决定法制审核办法》", requirement: "根据《山西省重大行政执法决定法制审核办法》，明确重大执法决定审核主体，细化审核范围、内容、程序，明确责任。", responsible: "市司法局", deadline: "2019年9月"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "明确重大执法决定法制审核机构，配备法制审核人员", requirement: "各级行政执法机关要明确重大执法决定法制审核机构，法制审核人员原则上不少于本机关执法人员的5％", responsible: "市、县行政执法机关", deadline: "2019年7月"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "建立健全法律顾问、公职律师制度", requirement: "重大复杂疑难法律事务要组织法律顾问、公职律师进行研究，充分吸收法律顾问、公职律师的意见建议。", responsible: "市、县行政执法机关", deadline: "2019年10月"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "编制重大执法决定法制审核目录清单", requirement: "结合本机关行政执法行为类别、执法层级、所属领域、涉案金额等因素，明确重大执法决定法制审核范围并动态调整。", responsible: "市、县行政执法机关", deadline: "2019年9月"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "明确、细化审核内容", requirement: "严格审核行政执法主体是否合法，行政执法人员是否具备执法资格；行政执法程序是否合法；案件事实是否清楚，证据是否合法充分；适用法律、法规、规章是否准确，裁量基准运用是否适当；执法是否超越执法机关法定权限；行政执法文书是否完备、规范；违法行为是否涉嫌犯罪，需要移送司法机关。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推行重大执法决定法制审核制度", breakdown: "制定出台重大执法决定法制审核责任追究制度", requirement: "行政执法机关主要负责人是推动落实本机关重大执法决定法制审核制度的第一责任人。行政执法人员、法制审核人员、审批行政执法决定的负责人滥用职权、玩忽职守、徇私枉法等，导致行政执法决定错误，依纪依法追究责任。", responsible: "市、县行政执法机关", deadline: "长期执行"},
  {mainTask: "全面推进行政执法信息化建设", breakdown: "推进互联互通、实现共享互通", requirement: "梳理执法基础数据，逐步实现执法过程网上公示、执法全过程网上记录、执法结果网上查询。", responsible: "市、县司法局和行政执法机关", deadline: "长期推进"},
  {mainTask: "加强组织保障", breakdown: "加强组织领导", requirement: "成立“三项制度”工作领导小组，做好组织实施。", responsible: "市、县司法局和行政执法机关", deadline: "2019年6月"},
  {mainTask: "加强组织保障", breakdown: "保障经费投入", requirement: "市、县行政执法单位要将执法装备经费需求报本级人民政府列入财政预算。", responsible: "市、县财政局", deadline: "长期推进"},
  {mainTask: "加强组织保障", breakdown: "开展宣传培训", requirement: "组织开展“三项制度”专题学习培训，加强业务交流。", responsible: "市、县司法局和行政执法机关", deadline: "2019年9月前"},
  {mainTask: "加强组织保障", breakdown: "强化督促检查", requirement: "全面推行“三项制度”工作内容，纳入法治工作年度目标责任考核，强化督导力度。", responsible: "市、县司法局", deadline: "2019年10月"},
];
